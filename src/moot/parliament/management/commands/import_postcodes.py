from moot.parliament.management.importing import ImportCommand
from moot.parliament.services.postcodes import postcodes_import


class Command(ImportCommand):
    help = (
        "Import the ONS Postcode Directory (its UK CSV, and its constituency names and codes "
        "CSV), so that readers can find their MP by postcode offline. Idempotent."
    )
    service = staticmethod(postcodes_import)
