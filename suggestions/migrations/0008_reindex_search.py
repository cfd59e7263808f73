"""The search column now holds Chinese characters and bigrams besides jieba's tokens (suggestions.search):
rebuild it for the rows made before. Nothing to undo: the old queries find what they found before."""

from django.db import migrations


def forwards(apps, schema_editor):
    from suggestions.search import reindex

    reindex(apps.get_model("suggestions", "Suggestion"))


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0007_open_index_carries_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
