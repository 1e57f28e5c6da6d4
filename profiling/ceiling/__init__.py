"""The framework's ceiling for `make profile`: a bare Django project, one view answering a constant, two
middlewares, served by the same gunicorn as the service. Nothing the service does can be faster than this."""
