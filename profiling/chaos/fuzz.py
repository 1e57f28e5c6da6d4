"""
The bad inputs of `inputs.py`, built from the live OpenAPI schema (/api/schema/): every query parameter of every
GET endpoint gets values bad for any parameter and values bad for its kind (a whole number, a date, a list, one
of a few words, the search, the cursor), every id in a path gets bad ids, and every endpoint gets unknown and
repeated parameters. The Atom feed, which the schema leaves out (it is for feed readers), takes the list's
filters, and bad tokens, with a feed token. The same schema gives the same requests every run.
"""

from urllib.parse import quote

# Bad for any parameter: quoted as a client would send them, then escapes of invalid UTF-8, of a lone surrogate, of
# NUL and of a header break, sent as they are. Each parameter gets a third of them, its neighbours the others, so
# that every endpoint meets them all while the requests stay a few hundred.
ANY = [
    "", " ", "x" * 3000, "日本語\U0001f600", "\u202e", "null", "-1", "9" * 30, "1e309", "NaN", "<script>", "'; --",
]  # fmt: skip
ESCAPED = ["%00", "%ED%A0%80", "%FF%FE", "%zz", "%", "%0D%0ASet-Cookie:%20x=1", "%C0%AF", "%F0%9F"]
NUMBERS = ["0", "1.5", "+5", " 7", "١٢", "²", "9223372036854775808", "-9223372036854775809"]
DATES = [
    "2026-13-45", "0000-00-00", "9999-12-31T23:59:59Z", "-001-01-01", "2026-11-23T25:00:00Z",
    "2026-11-23T08:00:00+99:00", "1" * 100, "2026-11-23T08:00:00.1234567891234Z", "yesterday", "1700000000",
]  # fmt: skip
LISTS = [",", ",,,", "a,,b", ",".join(["a"] * 500), "a" * 300 + ",b"]
SEARCHES = [
    "-" * 33, "-" * 300, "- " * 40, "!" * 40, "&|!():*<->" * 20, '"' * 51, "a " * 40, "or " * 40, "-a " * 33,
    "\\", "'", ":*", "a:*b", "(((((", "<->" * 30, "x" * 257, "-" * 33 + "a", "a & b | !c", '"unclosed',
]  # fmt: skip
# The cursor's shape is `[ab]<seconds>.<id>`: well-shaped ones far out of range, and ill-shaped ones.
CURSORS = [
    "a9999999999999999.1", "b-9999999999999999.1", "a1.999999999999999999", "a0.0", "c1.2", "a.1", "a1.", "a1.2.3",
    "a1e9.1", "a-0.-0",
]  # fmt: skip
TOKENS = ["", "x", "x" * 500, "%00", "%ED%A0%80"]
BY_NAME = {"q": SEARCHES, "cursor": CURSORS, "token": TOKENS}
EXTRA_QUERIES = [
    "catgory=technology", "limit[]=1", "=1", "&&&", "a" * 100 + "=1", "%ED%A0%80=1", "limit=5&limit=5", "q=a&q=b",
    "format=xml", "format=api",
]  # fmt: skip
IDS = ["0", "-1", "9" * 30, "abc", "%00", "1%20OR%201", "x" * 3000, "%ED%A0%80", "1.5"]
FEED = "/api/articles/feed.atom"
UNDESCRIBED = ("/api/schema/", "/api/docs/", "/health/", "/health/ready/")  # GET endpoints the schema leaves out
NOT_FEED_FILTERS = {"offset", "cursor", "collapse"}  # a feed is what is new: README.md, "Atom feeds"
FEED_OWN = {"token", "limit"}


def get_endpoints(schema):
    """{path: [query parameter]} of every GET operation in the schema, in its order."""
    return {
        path: [parameter for parameter in operations["get"].get("parameters", []) if parameter["in"] == "query"]
        for path, operations in schema["paths"].items()
        if "get" in operations
    }


def bad_values(parameter, third, *, of_its_kind=True):
    """The values tried on one parameter: a third of ANY and ESCAPED, and (`of_its_kind`) those bad for its kind."""
    name, schema = parameter["name"], parameter.get("schema", {})
    values = [quote(value, safe="") for value in ANY[third::3]] + ESCAPED[third::3]
    kind = [quote(value, safe="") for value in BY_NAME.get(name) or _by_kind(schema)] if of_its_kind else []
    return values + [value for value in kind if value not in values]


def _by_kind(schema):
    formats = {option.get("format") for option in schema.get("anyOf", [schema])}
    if formats & {"date", "date-time"}:
        return DATES
    if schema.get("type") == "integer":
        return NUMBERS
    if schema.get("type") == "array":
        words = schema.get("items", {}).get("enum") or ["a"]
        return [*LISTS, words[0].upper(), f"{words[0]},nope", f"{words[0]},"]
    if words := schema.get("enum"):
        return [words[0].upper(), f" {words[0]}", f"{words[0]},{words[-1]}", f"-{words[-1].lstrip('-')}x"]
    return []


def with_the_feed(schema):
    """get_endpoints(schema), the Atom feed (the list's filters and its token) and the endpoints it leaves out."""
    endpoints = get_endpoints(schema)
    feed_filters = [p for p in endpoints["/api/articles/"] if p["name"] not in NOT_FEED_FILTERS]
    return {**endpoints, FEED: [{"name": "token", "in": "query"}, *feed_filters], **dict.fromkeys(UNDESCRIBED, ())}


def requests_from(schema, *, ids, token):
    """Every request of the fuzz, (method, path, headers): `ids` maps a detail path ("/api/stories/{id}/") to the
    id of something stored, `token` is a feed token for the Atom feed."""
    paths = []
    endpoints = with_the_feed(schema)
    for path, parameters in endpoints.items():
        if "{id}" in path:
            paths += [path.format(id=quote(ident, safe="%")) for ident in IDS]
            paths.append(path.format(id=ids.get(path, 1)) + "?limit=5")
            continue
        given = f"token={token}&" if path == FEED else ""
        for number, parameter in enumerate(parameters):
            name = parameter["name"]
            # The feed's filters are the list's, checked by the same code: their values of a kind are tried there.
            own = path != FEED or name in FEED_OWN
            values = bad_values(parameter, number % 3, of_its_kind=own)
            paths += [f"{path}?{'' if name == 'token' else given}{name}={value}" for value in values]
        extras = EXTRA_QUERIES if parameters else EXTRA_QUERIES[:5]  # on an endpoint that takes no parameter
        paths += [f"{path}?{given}{query}" for query in extras]
    return [("GET", path, {}) for path in paths]
