"""The Chinese name of every audit action code (AuditEntry.action), for the screens that
list them: the audit log, the history panels, the queue. One home, so no staff page shows
``article.publish`` where a person should read 发布文章.

Screens with a context of their own (an article's history) may word some actions more
briefly; they fall back to these names.
"""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTION_LABELS = {
    # Articles and their workflow
    "article.create": _("创建草稿"),
    "article.submit": _("投稿"),
    "article.resubmit": _("提交修改稿"),
    "article.claim": _("认领审稿"),
    "article.take_over": _("接手审稿"),
    "article.request_changes": _("要求修改"),
    "article.approve": _("审核通过"),
    "article.schedule": _("定时发布"),
    "article.unschedule": _("取消定时"),
    "article.publish": _("发布文章"),
    "article.unpublish": _("下线文章"),
    "article.archive": _("归档文章"),
    "article.decline": _("退稿"),
    "article.edit": _("修改文章"),
    "article.feature": _("设为推荐"),
    "article.unfeature": _("取消推荐"),
    "article.comment_resolve": _("解决编辑留言"),
    "article.trash": _("移入回收站"),
    "article.restore": _("从回收站恢复"),
    "article.purge": _("彻底删除草稿"),
    "article.set_slug": _("修改文章地址"),
    "tag.set_slug": _("修改标签地址"),
    # E-mail submissions
    "submission.receive": _("收到投稿邮件"),
    "submission.accept": _("采用投稿"),
    "submission.reject": _("退回投稿"),
    "submission.spam": _("标为垃圾邮件"),
    "submission.contact": _("记录首次联系"),
    "inbound.retry": _("重新处理邮件"),
    "inbound.quarantine": _("隔离邮件"),
    # Readers' comments
    "comment.hide": _("隐藏评论"),
    "comment.restore": _("恢复评论"),
    "comment.remove": _("删除评论"),
    # Scans
    "scan.hold": _("扫描暂扣"),
    "scan.release": _("解除扫描暂扣"),
    "scan.dismiss": _("放行扫描结果"),
    "scan.escalate": _("转交社区治理"),
    "scan.remove": _("审核员删除内容"),
    # The lexicon
    "term.create": _("添加词条"),
    "term.update": _("修改词条"),
    "term.disable": _("停用词条"),
    "term.enable": _("启用词条"),
    "term.seed": _("载入种子词库"),
    # Text models
    "textmodel.create": _("训练扫描模型"),
    "textmodel.seed": _("载入初始扫描模型"),
    "textmodel.activate": _("启用扫描模型"),
    "textmodel.rollback": _("回滚扫描模型"),
    "textmodel.reject": _("弃用扫描模型"),
    "textmodel.weekly": _("每周重新训练扫描模型"),
    # Reports, cases, penalties
    "report.create": _("提交举报"),
    "case.open": _("开立案件"),
    "case.hide": _("举报后暂时隐藏"),
    "case.flag_ban_evasion": _("标记疑似规避封禁"),
    "case.dismiss": _("驳回案件"),
    "case.remove": _("删除内容"),
    "case.warn": _("警告"),
    "case.penalize": _("处罚"),
    "penalty.apply": _("执行处罚"),
    "penalty.lift": _("解除处罚"),
    "penalty.expire": _("处罚到期"),
    # Appeals and feedback
    "appeal.create": _("提交申诉"),
    "appeal.link_request": _("申请申诉链接"),
    "appeal.uphold": _("维持原处罚"),
    "appeal.reduce": _("减轻处罚"),
    "appeal.overturn": _("撤销处罚"),
    "appeal.appellant_message": _("申诉人留言"),
    "appeal.moderator_message": _("审核员留言"),
    "feedback.create": _("提交反馈"),
    "feedback.confirm": _("确认反馈"),
    "feedback.reply": _("回复反馈"),
    "feedback.close": _("关闭反馈"),
    "feedback.copyright_case": _("版权投诉转为案件"),
}


def audit_action_label(code: str) -> str:
    """The Chinese name of an audit action; an action this table does not know yet is
    named by its kind (文章操作, 评论操作…) rather than shown as a code."""
    label = AUDIT_ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    kinds = {
        "article": _("文章操作"),
        "tag": _("标签操作"),
        "submission": _("投稿邮件操作"),
        "inbound": _("邮件操作"),
        "comment": _("评论操作"),
        "scan": _("扫描处理"),
        "term": _("词库操作"),
        "textmodel": _("扫描模型操作"),
        "report": _("举报操作"),
        "case": _("案件操作"),
        "penalty": _("处罚操作"),
        "appeal": _("申诉操作"),
        "feedback": _("反馈操作"),
    }
    return str(kinds.get(code.split(".", 1)[0], _("其他操作")))
