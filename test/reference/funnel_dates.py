"""Independent reference for nodes/shared/dates.ts: Python's datetime parses the same texts.

stdin: JSON list of {"value": str|number, "format": "iso"|"yyyyMMdd"|"MM/dd/yyyy"|"dd.MM.yyyy"|"sheetsSerial"}
stdout: JSON list of epoch milliseconds (UTC) or null when Python rejects the value.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
SHEETS_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(dt):
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    delta = dt - UNIX_EPOCH
    # Integer arithmetic on the timedelta avoids float rounding of .timestamp().
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse(value, fmt):
    try:
        if fmt == 'sheetsSerial':
            # Google Sheets / Excel: serial days since 1899-12-30, fraction = time of day.
            return to_ms(SHEETS_EPOCH) + round(float(value) * 86400000)
        if fmt == 'iso':
            return to_ms(datetime.fromisoformat(value))
        pattern = {'yyyyMMdd': '%Y%m%d', 'MM/dd/yyyy': '%m/%d/%Y', 'dd.MM.yyyy': '%d.%m.%Y'}[fmt]
        return to_ms(datetime.strptime(str(value), pattern))
    except ValueError:
        return None


cases = json.load(sys.stdin)
print(json.dumps([parse(c['value'], c['format']) for c in cases]))
