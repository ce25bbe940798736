"""Issue 10, items 8 and 9: the home page in the reader's language with a picker; staff pick a
language kept on their account, Arabic staff pages run right to left, and 403/404/500 pages speak
the reader's language."""
import re

import sqlalchemy as sa

from app.core.extensions import db
from app.models import User
from tests.conftest import Auth


def account_locale(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User.locale).where(User.email == email))


def pick(client, lang, next_page):
    html = client.get(next_page).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/language", data={"csrf_token": token, "lang": lang, "next": next_page})


def test_home_page_titles_in_the_readers_language_with_a_picker(client, surveys):
    html = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html and "Encuesta sobre las necesidades de la comunidad" in html
    assert 'href="/s/community-needs?lang=es"' in html  # the survey opens in the same language
    for code in ("ar", "so", "zh_Hans"):
        assert f'href="?lang={code}"' in html
    arabic = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic and 'href="/s/community-needs?lang=ar"' in arabic


def test_staff_picker_keeps_the_choice_on_the_account(app, client, auth):
    auth.login("equity_lead")
    response = pick(client, "ar", "/reports/?survey=community-needs&lang=es")
    assert response.status_code == 302 and response.headers["Location"] == "/reports/?survey=community-needs"
    assert account_locale(app, "equity_lead@example.org") == "ar"
    html = client.get("/reports/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and 'aria-current="true">العربية' in html
    # Another device, no cookie, an English browser: the account's language still wins.
    other = app.test_client()
    Auth(app, other).login("equity_lead")
    html = other.get("/reports/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_picker_refuses_an_unknown_language_and_an_outside_address(app, client, auth):
    auth.login("facilitator")
    response = pick(client, "xx", "/facilitate/")
    assert response.headers["Location"] == "/facilitate/" and account_locale(app, "facilitator@example.org") is None
    html = client.get("/facilitate/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/language", data={"csrf_token": token, "lang": "so", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/" and account_locale(app, "facilitator@example.org") == "so"


def test_before_sign_in_the_picker_is_links_that_set_the_cookie(client):
    html = client.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and 'href="?lang=vi"' in html
    assert '<html lang="ar"' in client.get("/login").get_data(as_text=True)  # remembered on the device


def test_forbidden_page_speaks_the_readers_language(client, auth):
    auth.login("facilitator")
    response = client.get("/admin/", headers={"Accept-Language": "ar"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403 and '<html lang="ar" dir="rtl">' in html
    assert "لا يتيح حسابك الوصول إلى هذه الصفحة" in html and "You don't have the permission" not in html


def test_not_found_page_speaks_the_readers_language(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "so"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="so"' in html and "Boggaas ma aanu helin." in html
    assert 'href="/?lang=so"' in html


def test_server_error_page_speaks_the_readers_language(app, client):
    def broken():
        raise RuntimeError("a bug")
    app.view_functions["home.index"] = broken
    response = client.get("/?lang=vi")
    assert response.status_code == 500 and '<html lang="vi"' in response.get_data(as_text=True)
    assert "Something went wrong" not in response.get_data(as_text=True)
