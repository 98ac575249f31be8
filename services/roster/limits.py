"""How much of a roster file is read, and what the worker that reads it may spend.

The limits bound work and memory per upload, so that a hostile or broken file costs the bot no more
than the largest legitimate roster does.
"""

_MB = 1024 * 1024

# A bot may download files of at most 20 MB from Telegram; a larger roster could not arrive by chat.
MAX_FILE_BYTES = 20 * _MB
# Far beyond one congress's roster (a provincial congress has about a thousand representatives),
# and it bounds the work and memory of a single import.
MAX_DATA_ROWS = 50_000
# A title row ("2024年代表名册") may sit above the header: it is searched within this many rows
# with content, which therefore come on top of the data rows.
HEADER_SEARCH = 5
# What the CSV reader holds in memory: the data rows plus titles, header and the blank rows
# Excel leaves below the data. The exact data-row limit is checked once the header is known.
MAX_SHEET_ROWS = 2 * MAX_DATA_ROWS
# The last row Excel can address; a row numbered beyond it is not written by any spreadsheet.
EXCEL_MAX_ROW = 1_048_576
# A roster has about a dozen columns; content beyond this column is refused, not read.
MAX_COLUMNS = 200
# Longer than any name, id or note a roster cell holds.
MAX_CELL_CHARS = 1_000

# An XLSX file is a zip archive. The largest legitimate roster (50,000 rows of ten columns written
# by Excel, LibreOffice or WPS) unpacks to about 40 MB; an archive that inflates beyond this limit
# is refused while it is being inflated, whatever sizes its directory declares.
MAX_UNPACKED_BYTES = 96 * _MB
# The shared string table is read whole by openpyxl, one Python string per entry, at about a
# second per 100,000 entries. 50,000 rows of distinct names, ids and phones need about 5 MB.
MAX_SHARED_STRINGS_BYTES = 16 * _MB
# A workbook has a dozen parts plus a few per sheet and picture.
MAX_ARCHIVE_MEMBERS = 1_000

# The worker process that parses one file: its address space and CPU time are capped by the
# kernel, so that a file slipping past the checks above fails alone instead of swelling the bot.
# The largest legitimate roster peaks at about 130 MB (XLSX) and 180 MB (a 16 MB CSV).
WORKER_MEMORY_BYTES = 384 * _MB
WORKER_CPU_SECONDS = 60
# Wall-clock bound, looser than the CPU bound because two cores are shared with the bot itself.
WORKER_TIMEOUT_SECONDS = 90.0
# Parses at a time; more uploads wait for a free worker rather than multiplying memory.
WORKER_CONCURRENCY = 2


def megabytes(size: int) -> int:
    return size // _MB
