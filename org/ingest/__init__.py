"""The ingest framework: apps declare datasets, integrators and HR leads push records into them.

Declaring a dataset (see :mod:`org.ingest.registry`) is all an app does; reading
JSON/CSV/XLSX, typed parsing, bulk reference resolution, the one-transaction bulk
upsert, the API endpoint, the templates and the import page are shared.
"""

from .errors import IngestFileError, RowError
from .fields import Choice, Date, Email, Field, FieldError, Month, Reference, Text
from .number_fields import Boolean, DecimalNumber, Integer
from .registry import Dataset, UnknownDataset, all_datasets, get_dataset, register_dataset, unregister_dataset
from .rules import not_before

__all__ = [
    "Boolean",
    "Choice",
    "Dataset",
    "Date",
    "DecimalNumber",
    "Email",
    "Field",
    "FieldError",
    "IngestFileError",
    "Integer",
    "Month",
    "Reference",
    "RowError",
    "Text",
    "UnknownDataset",
    "all_datasets",
    "get_dataset",
    "not_before",
    "register_dataset",
    "unregister_dataset",
]
