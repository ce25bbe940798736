"""The facilitate blueprint object, on its own so that every view module can attach to it."""
from flask import Blueprint

bp = Blueprint("facilitate", __name__)
