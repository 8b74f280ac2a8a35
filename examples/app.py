"""An example FasterAPI application: a small notes service.

Serve it with ``fasterapi run examples/app.py`` or ``uvicorn --app-dir examples app:app``; the README has the
one-command version. It shows a CRUD router over a msgspec model, dependency injection (a store shared through
the lifespan state, an API-version header), a background task, a websocket echo room and server-sent events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import msgspec

from fasterapi_core import (
    BackgroundTasks,
    Depends,
    EventSourceResponse,
    Faster,
    FasterRouter,
    Header,
    HTTPException,
    Query,
    Request,
    WebSocket,
    WebSocketDisconnect,
    status,
)

logger = logging.getLogger("examples.notes")


class NoteIn(msgspec.Struct):
    """What a client sends to create or replace a note."""

    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    body: str = ""
    tags: list[str] = []


class Note(msgspec.Struct):
    """A stored note."""

    id: int
    title: str
    body: str
    tags: list[str]


class NoteStore:
    """An in-memory store; a real service would hold a database pool here."""

    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}
        self._next_id = 1
        self.changes: asyncio.Queue[str] = asyncio.Queue()

    def create(self, note: NoteIn) -> Note:
        stored = Note(id=self._next_id, title=note.title, body=note.body, tags=list(note.tags))
        self._notes[stored.id] = stored
        self._next_id += 1
        return stored

    def list(self, tag: str | None, limit: int) -> list[Note]:
        notes = [note for note in self._notes.values() if tag is None or tag in note.tags]
        return notes[:limit]

    def get(self, note_id: int) -> Note:
        note = self._notes.get(note_id)
        if note is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"Note {note_id} not found")
        return note

    def replace(self, note_id: int, note: NoteIn) -> Note:
        self.get(note_id)
        stored = Note(id=note_id, title=note.title, body=note.body, tags=list(note.tags))
        self._notes[note_id] = stored
        return stored

    def delete(self, note_id: int) -> None:
        self.get(note_id)
        del self._notes[note_id]


@asynccontextmanager
async def lifespan(app: Faster) -> AsyncIterator[dict[str, NoteStore]]:
    """Create the store at start-up; it reaches requests through the lifespan state."""
    yield {"store": NoteStore()}


def get_store(request: Request) -> NoteStore:
    """Dependency: the store created by the lifespan."""
    store: NoteStore = request.state.store
    return store


def api_version(x_api_version: Annotated[str, Header()] = "1") -> str:
    """Dependency: the API version the client asked for (header ``X-API-Version``)."""
    if x_api_version not in ("1",):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=f"Unsupported API version {x_api_version!r}")
    return x_api_version


def announce(store: NoteStore, message: str) -> None:
    """Background task: log a change and publish it to the event stream."""
    logger.info(message)
    store.changes.put_nowait(message)


Store = Annotated[NoteStore, Depends(get_store)]

notes = FasterRouter(prefix="/notes", tags=["notes"], dependencies=[Depends(api_version)])


@notes.post("", status_code=status.HTTP_201_CREATED)
async def create_note(note: NoteIn, store: Store, tasks: BackgroundTasks) -> Note:
    """Create a note."""
    created = store.create(note)
    tasks.add_task(announce, store, f"created note {created.id}")
    return created


@notes.get("")
async def list_notes(
    store: Store,
    tag: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[Note]:
    """List notes, optionally only those with a tag."""
    return store.list(tag, limit)


@notes.get("/{note_id}")
async def read_note(note_id: int, store: Store) -> Note:
    """Read one note."""
    return store.get(note_id)


@notes.put("/{note_id}")
async def replace_note(note_id: int, note: NoteIn, store: Store, tasks: BackgroundTasks) -> Note:
    """Replace a note."""
    replaced = store.replace(note_id, note)
    tasks.add_task(announce, store, f"replaced note {note_id}")
    return replaced


@notes.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_note(note_id: int, store: Store, tasks: BackgroundTasks) -> None:
    """Delete a note."""
    store.delete(note_id)
    tasks.add_task(announce, store, f"deleted note {note_id}")


app = Faster(title="Notes", version="1.0.0", description="An example FasterAPI service.", lifespan=lifespan)
app.include_router(notes)


@app.get("/health", tags=["ops"])
async def health() -> dict[str, str]:
    """Liveness probe."""
    return {"status": "ok"}


@app.get("/events", tags=["notes"])
async def events(store: Store) -> EventSourceResponse:
    """Server-sent events: one event per change to the notes."""

    async def stream() -> AsyncIterator[dict[str, str]]:
        while True:
            message = await store.changes.get()
            yield {"event": "change", "data": message}

    return EventSourceResponse(stream(), ping_interval=15)


@app.websocket("/ws/echo/{room}")
async def echo(websocket: WebSocket, room: str) -> None:
    """Echo every text message back, prefixed with the room name."""
    await websocket.accept()
    try:
        async for message in websocket.iter_text():
            await websocket.send_text(f"[{room}] {message}")
    except WebSocketDisconnect:
        return
