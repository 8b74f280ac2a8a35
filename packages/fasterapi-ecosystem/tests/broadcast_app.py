"""Chat and feed apps served by uvicorn in test_broadcast.py (not a test module).

Every worker has its own RedisBroadcast; a message sent by a WebSocket client connected to one worker reaches
the clients connected to every worker. ``/chat`` is the README's pattern (the endpoint receives and sends),
``/feed`` the docstring's (the endpoint only sends; the subscription watches the connection).
"""

from __future__ import annotations

import contextlib
import os

import anyio

from fasterapi_core import Faster, WebSocket, WebSocketDisconnect
from fasterapi_ecosystem import RedisBroadcast

broadcast = RedisBroadcast(os.environ["BROADCAST_REDIS_URL"])
app = Faster(lifespan=broadcast.lifespan)


@app.get("/health")
async def health() -> dict[str, int]:
    return {"pid": os.getpid(), "subscribers": broadcast.subscriber_count()}


@app.websocket("/chat/{room}")
async def chat(websocket: WebSocket, room: str) -> None:
    await websocket.accept()
    async with broadcast.subscribe(room) as subscriber, anyio.create_task_group() as group:
        # Sent once subscribed: from now on the client misses nothing published to the room.
        await websocket.send_json({"pid": os.getpid()})

        async def forward() -> None:
            with contextlib.suppress(WebSocketDisconnect):
                async for event in subscriber:
                    await websocket.send_text(event.message)

        group.start_soon(forward)
        async for text in websocket.iter_text():  # ends quietly when the client leaves
            await broadcast.publish(room, text)
        group.cancel_scope.cancel()


@app.websocket("/feed/{room}")
async def feed(websocket: WebSocket, room: str) -> None:
    await websocket.accept()
    async with broadcast.subscribe(room, websocket=websocket) as subscriber:
        await websocket.send_json({"pid": os.getpid()})
        async for event in subscriber:  # ends as soon as the client leaves or the server shuts down
            await websocket.send_text(event.message)
