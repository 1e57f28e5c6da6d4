"""
The seed chapter's design, rebuilt for `make profile` to measure against: FastAPI, the article
list behind aiocache's `@cached` on Redis, no API key, served by gunicorn with uvicorn workers.

A hit is aiocache's GET and JSON decoding, then FastAPI encoding the list again. A miss reads
the same columns, in the same order, as the service's list.
"""

import os
from urllib.parse import urlsplit

import psycopg
from aiocache import Cache, cached
from aiocache.serializers import JsonSerializer
from fastapi import FastAPI

COLUMNS = "id, title, description, url, image_url, author, source, source_name, category, published_at"
REDIS = urlsplit(os.environ["REDIS_URL"])

app = FastAPI()


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.get("/api/articles/")
@cached(
    ttl=300,
    cache=Cache.REDIS,
    endpoint=REDIS.hostname,
    port=REDIS.port or 6379,
    db=int(REDIS.path.strip("/") or 0),
    namespace="seed",
    serializer=JsonSerializer(),
)
async def articles(category: str | None = None, limit: int = 20, offset: int = 0):
    where = "WHERE category = %s" if category else ""
    parameters = [category] if category else []
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        count = connection.execute(f"SELECT count(*) FROM articles_article {where}", parameters).fetchone()[0]  # noqa: S608
        rows = connection.execute(
            f"SELECT {COLUMNS} FROM articles_article {where} ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",  # noqa: S608
            [*parameters, limit, offset],
        )
        names = [column.name for column in rows.description]
        results = [dict(zip(names, row, strict=True)) for row in rows]
    for result in results:
        result["published_at"] = result["published_at"].isoformat().replace("+00:00", "Z")
    return {"count": count, "results": results}
