import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Its own migration (transaction): on PostgreSQL the backfill's deferred foreign-key checks must run
    # before the column can be altered.
    dependencies = [
        ("suggestions", "0005_referral_denormalised"),
    ]

    operations = [
        migrations.AlterField(
            model_name="referral",
            name="area",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="stations.area",
            ),
        ),
    ]
