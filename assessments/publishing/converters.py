"""Path converters shared by the publishing and public URL modules."""

from django.urls import register_converter


class AnnexFormatConverter:
    """An annex export format: html, pdf, docx, json or md."""

    regex = "html|pdf|docx|json|md"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnnexFormatConverter, "annexfmt")
