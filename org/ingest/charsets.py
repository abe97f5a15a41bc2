"""The text encodings a CSV upload may use, and how a Chinese GBK file is told from a Windows-1252 one.

UTF-8, with or without a byte-order mark, is read as it is. Excel in a Chinese locale saves "CSV" as GBK
(the two-byte part of GB18030). Decoding alone cannot tell those bytes from other legacy encodings:
GB18030 decodes almost any byte string, and a Windows-1252 file came out as mojibake ("Renée" as
"Ren閑"). A file that is not UTF-8 is therefore read as GBK only when it is plausibly Chinese text:

1. it decodes as GB2312 (EUC-CN): every two-byte character is one of the GB2312 set of simplified
   Chinese, both of its bytes in A1-FE. An accented Latin letter followed by an ASCII one (é then e:
   E9 65) never is, nor is a lone byte above 7F;
2. at least half of its hanzi are level-1 characters (lead byte B0-D7: the 3,755 common characters
   that make up nearly all ordinary text and names). Two adjacent accented lowercase letters (ç then
   ã: E7 E3) do form a GB2312 character, but a level-2 one (lead byte D8-F7).

Anything else is refused, naming the encodings accepted. GBK characters outside GB2312 (traditional
forms, a few name characters such as 喆) are refused too; the same file saved as "CSV UTF-8" is read.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .errors import IngestFileError

_ASCII_RUNS = re.compile(rb"[\x00-\x7f]+")
_HANZI_LEADS = bytes(range(0xB0, 0xF8))
_LEVEL_1_LEADS = bytes(range(0xB0, 0xD8))


def plausibly_chinese(data: bytes) -> str | None:
    """The text of ``data`` if it reads as GB2312 Chinese by the two rules above, else None."""
    try:
        data.decode("gb2312")
    except UnicodeDecodeError:
        return None
    # Every non-ASCII character took exactly two bytes: without the ASCII ones, every other byte is a lead.
    leads = _ASCII_RUNS.sub(b"", data)[::2]
    hanzi = len(leads) - len(leads.translate(None, _HANZI_LEADS))
    level_1 = len(leads) - len(leads.translate(None, _LEVEL_1_LEADS))
    # Read as GBK, as Excel wrote it: its middle dot and dash (A1A4, A1AA) differ from the GB2312 codec's.
    return data.decode("gb18030") if 2 * level_1 >= hanzi else None


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), or GBK that is plausibly Chinese; otherwise refused."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        chinese = plausibly_chinese(data)
        if chinese is None:
            raise IngestFileError(
                _(
                    "The CSV file is neither UTF-8 nor Chinese GB18030/GBK text; save it as “CSV UTF-8” "
                    "and upload it again."
                )
            ) from None
        text = chinese
    if "\x00" in text:
        raise IngestFileError(
            _("The file is neither CSV text (UTF-8) nor an XLSX workbook; save it as “CSV UTF-8” or .xlsx.")
        )
    return text
