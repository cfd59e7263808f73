"""Every open suggestion has a current step (step_from, step_due) and a queue rank; returns become requests
that staff review (Referral.return_requested_at, return_refusal, the status `return_requested`).
Migration 0010 fills in the steps and ranks of the rows made before.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stations', '0002_verbose_names'),
        ('suggestions', '0008_reindex_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='referral',
            name='referral_one_live_per_unit_round',
        ),
        migrations.RemoveConstraint(
            model_name='referral',
            name='referral_one_live_lead_per_round',
        ),
        migrations.AddField(
            model_name='historicalreferral',
            name='return_refusal',
            field=models.CharField(blank=True, max_length=500, verbose_name='不同意退回的理由'),
        ),
        migrations.AddField(
            model_name='historicalreferral',
            name='return_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='申请退回时间'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='queue_rank',
            field=models.PositiveSmallIntegerField(choices=[(0, '超期'), (1, '待分办'), (2, '待答复'), (3, '待评价'), (9, '已结束')], default=1),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='step_due',
            field=models.DateField(blank=True, null=True, verbose_name='本环节期限'),
        ),
        migrations.AddField(
            model_name='historicalsuggestion',
            name='step_from',
            field=models.DateField(blank=True, null=True, verbose_name='本环节开始'),
        ),
        migrations.AddField(
            model_name='referral',
            name='return_refusal',
            field=models.CharField(blank=True, max_length=500, verbose_name='不同意退回的理由'),
        ),
        migrations.AddField(
            model_name='referral',
            name='return_requested_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='申请退回时间'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='queue_rank',
            field=models.PositiveSmallIntegerField(choices=[(0, '超期'), (1, '待分办'), (2, '待答复'), (3, '待评价'), (9, '已结束')], default=1),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='step_due',
            field=models.DateField(blank=True, null=True, verbose_name='本环节期限'),
        ),
        migrations.AddField(
            model_name='suggestion',
            name='step_from',
            field=models.DateField(blank=True, null=True, verbose_name='本环节开始'),
        ),
        migrations.AlterField(
            model_name='historicalreferral',
            name='status',
            field=models.CharField(choices=[('pending', '待签收'), ('accepted', '办理中'), ('replied', '已答复'), ('return_requested', '申请退回'), ('returned', '已退回'), ('cancelled', '已撤销')], default='pending', max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='referral',
            name='status',
            field=models.CharField(choices=[('pending', '待签收'), ('accepted', '办理中'), ('replied', '已答复'), ('return_requested', '申请退回'), ('returned', '已退回'), ('cancelled', '已撤销')], default='pending', max_length=20, verbose_name='状态'),
        ),
        migrations.AlterField(
            model_name='suggestionevent',
            name='kind',
            field=models.CharField(choices=[('submitted', '提交'), ('accepted', '受理'), ('rejected', '不予受理'), ('key', '标记重点'), ('merged', '合并'), ('referred', '转办'), ('referral_accepted', '签收'), ('return_requested', '申请退回'), ('referral_returned', '退回'), ('return_refused', '不同意退回'), ('return_reviewed', '审核退回'), ('referral_ended', '转办件终止'), ('replied', '答复'), ('rating_requested', '邀请评价'), ('rated', '评价'), ('reopened', '重新办理'), ('supervised', '督办'), ('closed', '办结'), ('overdue', '超期'), ('triage_overdue', '受理超期'), ('refer_overdue', '交办超期'), ('extension_requested', '申请延期'), ('extension_granted', '同意延期'), ('extension_refused', '不同意延期'), ('contact_viewed', '查看联系方式')], max_length=24),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(condition=models.Q(('status', 'return_requested')), fields=['return_requested_at', 'id'], name='ref_return_requested'),
        ),
        migrations.AddIndex(
            model_name='suggestion',
            index=models.Index(condition=models.Q(('status__in', ('submitted', 'accepted', 'referred', 'replied', 'reopened', 'supervised'))), fields=['queue_rank', 'step_due', 'id'], include=('area_id',), name='sugg_open_rank_due'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'accepted', 'return_requested'])), fields=('suggestion', 'unit', 'round'), name='referral_one_live_per_unit_round'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.UniqueConstraint(condition=models.Q(('role', 'lead'), ('status__in', ['pending', 'accepted', 'return_requested', 'replied'])), fields=('suggestion', 'round'), name='referral_one_live_lead_per_round'),
        ),
    ]
