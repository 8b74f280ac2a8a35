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


FIRST_IMPORTS = ["fasterapi_core._uploads", "fasterapi_core.encoders", "fasterapi_core.datastructures"]


@pytest.mark.parametrize("first", FIRST_IMPORTS)
def test_the_upload_module_imports_first_without_a_cycle(first: str) -> None:
    # An unknown object sent as a response reaches the upload module before anything else imported it.
    import subprocess
    import sys

    script = (
        f"import {first}\n"
        "from fasterapi_core.encoders import jsonable_response\n"
        "try:\n    jsonable_response(object())\nexcept TypeError:\n    pass\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
