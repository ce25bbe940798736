"""The ceiling for bench/submit.py: a bare Flask + SQLAlchemy endpoint that inserts one row.

Same database settings as Common Ground (SQLite WAL, synchronous FULL, busy timeout; on
PostgreSQL the statement timeout), no
validation, no idempotency: the fastest a durable insert behind Flask can go on this machine.
"""
import os

import sqlalchemy as sa
from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

from app.core.database import configure_engine

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)


class Row(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)
    body = sa.Column(sa.Text)


with app.app_context():
    configure_engine(db.engine, {"SQLITE_SYNCHRONOUS": os.environ.get("SQLITE_SYNCHRONOUS", "FULL"),
                                 "DATABASE_STATEMENT_TIMEOUT": os.environ.get("DATABASE_STATEMENT_TIMEOUT", "20")})
    db.create_all()


@app.post("/insert")
def insert():
    row = Row(body=request.get_data(as_text=True))
    db.session.add(row)
    db.session.commit()
    return {"id": row.id}, 201
