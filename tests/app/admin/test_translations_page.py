"""The admin's translation coverage page: the same table as `flask translations coverage`,
with the indicators' texts as a column of their own."""
import re


def test_the_page_shows_every_language_with_the_indicators_column(client, auth, surveys):
    auth.login("admin")
    html = client.get("/admin/translations").get_data(as_text=True)
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    columns = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', head)
    assert columns[:2] == ["Language", "Interface"] and columns[-2:] == ["Indicators", "Obsolete"]
    assert "community-needs" in columns
    arabic = re.search(r'<th scope="row" lang="ar">[^<]+</th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]+)</td>', arabic)
    assert len(cells) == len(columns) - 1 and cells[-1] == "0"
    assert all(cell == "100.0%" for cell in cells[:-1]), cells


def test_only_admins_see_it(client, auth, surveys):
    auth.login("equity_lead")
    assert client.get("/admin/translations").status_code == 403
