from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.debates import debates_import


class Command(ImportCommand):
    help = (
        "Import ParlParse Hansard debates (debates*.xml, lords*.xml, westminhall*.xml; files "
        "or folders), including superseded versions and their redirects. Idempotent and "
        "resumable."
    )
    service = staticmethod(debates_import)
