"""fastapi-mail sending through a real SMTP server (aiosmtpd, in-process) from FastAPI endpoints, via the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-mail"

pytestmark = pytest.mark.slow


def test_fastapi_mail_sends_html_templates_and_attachments_from_endpoints(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import email
        import email.policy
        import tempfile
        from pathlib import Path

        from aiosmtpd.controller import Controller
        from fastapi import BackgroundTasks, FastAPI, File, Form, UploadFile
        from fastapi.responses import JSONResponse
        from fastapi.testclient import TestClient
        from fastapi_mail import ConnectionConfig, FastMail, MessageSchema, MessageType
        from fasterapi_testing.services import free_port
        from pydantic import BaseModel, EmailStr


        class Mailbox:
            def __init__(self):
                self.envelopes = []

            async def handle_DATA(self, server, session, envelope):
                self.envelopes.append(envelope)
                return "250 Message accepted for delivery"


        mailbox = Mailbox()
        # named hosts on both sides: no reverse lookup of the machine's name (getfqdn)
        smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port(), server_hostname="mail.test")
        smtp.start()
        templates = Path(tempfile.mkdtemp())
        (templates / "welcome.html").write_text("<p>Welcome, {{ name }}!</p>")

        conf = ConnectionConfig(
            MAIL_USERNAME="",
            MAIL_PASSWORD="",
            MAIL_FROM="shop@example.com",
            MAIL_FROM_NAME="The Shop",
            MAIL_PORT=smtp.port,
            MAIL_SERVER="127.0.0.1",
            MAIL_STARTTLS=False,
            MAIL_SSL_TLS=False,
            USE_CREDENTIALS=False,
            VALIDATE_CERTS=False,
            TEMPLATE_FOLDER=templates,
            LOCAL_HOSTNAME="shop.test",
        )


        class EmailSchema(BaseModel):
            email: list[EmailStr]


        app = FastAPI()


        @app.post("/email")
        async def simple_send(email: EmailSchema) -> JSONResponse:
            message = MessageSchema(
                subject="Fastapi-Mail module",
                recipients=email.email,
                body="<p>Hi this test mail, thanks for using Fastapi-mail</p>",
                subtype=MessageType.html,
            )
            await FastMail(conf).send_message(message)
            return JSONResponse(status_code=200, content={"message": "email has been sent"})


        @app.post("/emailbackground")
        async def send_in_background(background_tasks: BackgroundTasks, email: EmailSchema) -> JSONResponse:
            message = MessageSchema(
                subject="Welcome", recipients=email.email, template_body={"name": "Ada"}, subtype=MessageType.html
            )
            background_tasks.add_task(FastMail(conf).send_message, message, template_name="welcome.html")
            return JSONResponse(status_code=200, content={"message": "email will be sent"})


        @app.post("/file")
        async def send_file(file: UploadFile = File(...), email: EmailStr = Form(...)) -> JSONResponse:
            message = MessageSchema(
                subject="Your file", recipients=[email], body="attached", subtype=MessageType.plain, attachments=[file]
            )
            await FastMail(conf).send_message(message)
            return JSONResponse(status_code=200, content={"message": "file sent"})


        try:
            with TestClient(app) as client:
                answers = [
                    client.post("/email", json={"email": ["ada@example.com", "grace@example.com"]}).json(),
                    client.post("/emailbackground", json={"email": ["ada@example.com"]}).json(),
                    client.post(
                        "/file",
                        data={"email": "bob@example.com"},
                        files={"file": ("report.csv", b"a,b\\n1,2\\n", "text/csv")},
                    ).json(),
                ]
                invalid = client.post("/email", json={"email": ["not-an-address"]})
        finally:
            smtp.stop()

        messages = []
        for envelope in mailbox.envelopes:
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            parts = [
                [part.get_content_type(), part.get_filename(), part.get_content().strip()]
                for part in parsed.walk()
                if not part.is_multipart()
            ]
            messages.append({
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "subject": parsed["subject"],
                "sender": parsed["from"],
                "parts": parts,
            })
        print(json.dumps({
            "answers": answers,
            "invalid": [invalid.status_code, invalid.json()["detail"][0]["loc"]],
            "messages": messages,
        }))
        """
    )
    assert outcome == {
        "answers": [{"message": "email has been sent"}, {"message": "email will be sent"}, {"message": "file sent"}],
        "invalid": [422, ["body", "email", 0]],
        "messages": [
            {
                "from": "shop@example.com",
                "to": ["ada@example.com", "grace@example.com"],
                "subject": "Fastapi-Mail module",
                "sender": "The Shop <shop@example.com>",
                "parts": [["text/html", None, "<p>Hi this test mail, thanks for using Fastapi-mail</p>"]],
            },
            {
                "from": "shop@example.com",
                "to": ["ada@example.com"],
                "subject": "Welcome",
                "sender": "The Shop <shop@example.com>",
                "parts": [["text/html", None, "<p>Welcome, Ada!</p>"]],
            },
            {
                "from": "shop@example.com",
                "to": ["bob@example.com"],
                "subject": "Your file",
                "sender": "The Shop <shop@example.com>",
                "parts": [["text/plain", None, "attached"], ["text/csv", "report.csv", "a,b\n1,2"]],
            },
        ],
    }
