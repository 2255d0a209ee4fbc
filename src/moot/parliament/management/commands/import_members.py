from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.members import members_import


class Command(ImportCommand):
    help = (
        "Import people, parties, seats and posts from Popolo JSON (ParlParse people.json "
        "and ministers.json), then link speakers in imported records to them. Idempotent."
    )
    service = staticmethod(members_import)
