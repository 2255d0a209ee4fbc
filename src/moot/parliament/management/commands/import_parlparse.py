from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.parlparse import parlparse_import


class Command(ImportCommand):
    help = (
        "Import ParlParse written answers (answers*.xml, lordswrans*.xml) and written "
        "ministerial statements (ministerial*.xml, lordswms*.xml); files or folders, "
        "including superseded versions and their redirects. Idempotent and resumable."
    )
    service = staticmethod(parlparse_import)
