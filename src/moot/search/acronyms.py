"""Acronyms search treats as the same as the names they stand for, kept as data.

Each line is ``ACRONYM: Full Name``. The acronym is matched in text exactly as written here
(capitals matter: "DfE", "MoJ"), with or without a plural "s"; the full name starting with
a capital as names do, whatever the capitals and punctuation after that ("Department for
Children, Schools and Families", "LOCAL SAFEGUARDING CHILDREN BOARDS"), with or without a
plural on its last word. A document that defines an acronym itself, "Full Name (FN)",
needs no line here.

Only acronyms with one meaning in what moot publishes belong here. Left out on purpose:
LA (local authority, but also Los Angeles and a word in French), ISA (Independent
Safeguarding Authority, or an Individual Savings Account), CSE (child sexual exploitation,
or the old Certificate of Secondary Education), MP, UK and EU (so common that expanding
them would swamp every search for the words). After editing, bump ``index.SCHEMA_VERSION``
so that indexes are rebuilt with the new list.
"""

from __future__ import annotations

ACRONYMS_TEXT = """
ACPC: Area Child Protection Committee
ACPO: Association of Chief Police Officers
ASBO: Anti-Social Behaviour Order
CAFCASS: Children and Family Court Advisory and Support Service
Cafcass: Children and Family Court Advisory and Support Service
CAMHS: Child and Adolescent Mental Health Services
CEOP: Child Exploitation and Online Protection Centre
CPS: Crown Prosecution Service
CRB: Criminal Records Bureau
CWDC: Children's Workforce Development Council
DCMS: Department for Culture, Media and Sport
DCSF: Department for Children, Schools and Families
DfE: Department for Education
DfEE: Department for Education and Employment
DfES: Department for Education and Skills
DoH: Department of Health
DWP: Department for Work and Pensions
ECM: Every Child Matters
FCO: Foreign and Commonwealth Office
FGM: Female Genital Mutilation
FOI: Freedom of Information
GCSE: General Certificate of Secondary Education
HMG: Her Majesty's Government
HMRC: HM Revenue and Customs
ICO: Information Commissioner's Office
LGA: Local Government Association
LSCB: Local Safeguarding Children Board
MoD: Ministry of Defence
MoJ: Ministry of Justice
NAO: National Audit Office
NHS: National Health Service
NSPCC: National Society for the Prevention of Cruelty to Children
ONS: Office for National Statistics
PCT: Primary Care Trust
SOCA: Serious Organised Crime Agency
UKBA: UK Border Agency
UKHTC: UK Human Trafficking Centre
YOT: Youth Offending Team
"""


def known_acronyms() -> dict[str, str]:
    """``{"LSCB": "Local Safeguarding Children Board", ...}`` from ``ACRONYMS_TEXT``."""
    pairs = {}
    for line in ACRONYMS_TEXT.strip().splitlines():
        acronym, _, full_name = line.partition(":")
        pairs[acronym.strip()] = full_name.strip()
    return pairs
