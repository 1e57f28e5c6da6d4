"""gunicorn's access log with the feed tokens and keys in URLs masked (deploy/gunicorn.conf.py names it): a feed
reader sends its token in the query string, which the request line (%(r)s) and %(q)s would log as sent."""

from gunicorn.glogging import Logger

from articles.masking import mask_url_parameters

# The atoms that hold the URL or part of it: the request line, the query string, the referer.
URL_ATOMS = ("r", "q", "f", "{referer}i")


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in URL_ATOMS:
            if name in atoms:
                atoms[name] = mask_url_parameters(atoms[name])
        return atoms
