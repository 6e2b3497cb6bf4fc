"""Published packs' public copies, made again under the disclosure rules that hold.

Copies frozen before this release showed "87.5% (7 of 8)" and other figures that give a
small number away by subtraction. Each published pack keeps its address; its public copy is
made again from its frozen restricted content, and its public PDF is dropped so the worker
renders it again when it is next asked for.
"""

from django.conf import settings
from django.db import migrations


def suppress_again(apps, schema_editor):
    from boards.suppression import public_content

    BoardPack = apps.get_model("boards", "BoardPack")
    published = BoardPack.objects.filter(public_token__isnull=False, content__isnull=False)
    for pack in published.only("pk", "content").iterator(chunk_size=20):
        BoardPack.objects.filter(pk=pack.pk).update(
            public_content=public_content(pack.content, settings.SMALL_NUMBER_THRESHOLD),
            public_pdf=None,
            public_pdf_state="not_requested",
            public_pdf_error="",
        )


class Migration(migrations.Migration):
    dependencies = [("boards", "0003_history")]

    operations = [migrations.RunPython(suppress_again, migrations.RunPython.noop, elidable=True)]
