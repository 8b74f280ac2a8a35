"""A chat app served by uvicorn with several worker processes in test_broadcast.py (not a test module).

Every worker has its own RedisBroadcast; a message sent by a WebSocket client connected to one worker reaches
the clients connected to every worker.
"""

from __future__ import annotations

import os

import anyio

from fasterapi_core import Faster, WebSocket, WebSocketDisconnect
from fasterapi_ecosystem import RedisBroadcast

broadcast = RedisBroadcast(os.environ["BROADCAST_REDIS_URL"])
app = Faster(lifespan=broadcast.lifespan)


@app.get("/health")
async def health() -> dict[str, int]:
    return {"pid": os.getpid()}


@app.websocket("/chat/{room}")
async def chat(websocket: WebSocket, room: str) -> None:
    await websocket.accept()
    async with broadcast.subscribe(room) as subscriber:
        # Sent once subscribed: from now on the client misses nothing published to the room.
        await websocket.send_json({"pid": os.getpid()})

        async def forward() -> None:
            async for event in subscriber:
                await websocket.send_text(event.message)

        async with anyio.create_task_group() as group:
            group.start_soon(forward)
            try:
                while True:
                    await broadcast.publish(room, await websocket.receive_text())
            except WebSocketDisconnect:
                pass
            group.cancel_scope.cancel()
