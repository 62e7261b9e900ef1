"""The external floor of `python -m bench ratios`: the smallest Django project.

Default security, common, CSRF and clickjacking middleware and one view returning a short
string, served by its own gunicorn next to the project's. Nothing here imports the project.
Run it by hand with `gunicorn bench.floor.wsgi:application` from the project folder.
"""
