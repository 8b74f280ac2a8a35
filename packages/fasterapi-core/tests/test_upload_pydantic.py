"""An ``UploadFile`` as the field of a pydantic model: validated as the upload itself, documented as a binary string."""

from __future__ import annotations

import pytest

from fasterapi_core.datastructures import UploadFile

pydantic = pytest.importorskip("pydantic")


def test_a_model_holds_the_upload_itself() -> None:
    class Attachment(pydantic.BaseModel):
        title: str
        file: UploadFile | None = None

    upload = UploadFile("notes.txt", "text/plain")
    upload.file.close()
    assert Attachment(title="x", file=upload).file is upload
    with pytest.raises(pydantic.ValidationError) as raised:
        Attachment(title="x", file="not a file")
    error = raised.value.errors()[0]
    assert error["loc"] == ("file",)
    assert error["msg"] == "Value error, Expected UploadFile, received: <class 'str'>"
    assert Attachment.model_json_schema()["properties"]["file"]["anyOf"][0] == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }


def test_validate_refuses_anything_but_an_upload() -> None:
    with pytest.raises(ValueError, match="Expected UploadFile"):
        UploadFile._validate("text", None)
    upload = UploadFile("a.bin")
    upload.file.close()
    assert UploadFile._validate(upload, None) is upload
