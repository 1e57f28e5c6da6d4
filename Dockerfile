# The news service: the API (the default command), fetch_articles, or any manage.py
# command. README.md, "Running with Docker Compose"; docs/BENCHMARKS.md for its size.

# Builder: compilers and headers; every wheel, psycopg's C implementation included,
# installed into a virtualenv that the runtime stage copies whole.
FROM python:3.11-slim AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    # Python's own headers, where the base image lacks them (the container lab's stand-in does).
    && if [ ! -e "$(python -c 'import sysconfig; print(sysconfig.get_path("include"))')/Python.h" ]; then \
        apt-get install -y --no-install-recommends python3-dev; fi \
    && apt-get clean && rm -rf /var/lib/apt/lists/*
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv --without-pip /opt/venv
COPY requirements/base.txt requirements/production.txt /tmp/requirements/
# What only a compiler reads goes: C and Cython sources shipped in wheels, debugging symbols.
RUN pip --python /opt/venv/bin/python install -r /tmp/requirements/production.txt \
    && find /opt/venv \( -name '*.c' -o -name '*.pyx' -o -name '*.pxd' -o -name '*.pyi' \) -delete \
    && find /opt/venv -name '*.so' -exec strip --strip-unneeded {} +

# Runtime: the base image, libpq and the virtualenv; no compiler, pip cache, tests or dev requirements.
FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && apt-get clean && rm -rf /var/lib/apt/lists/* \
    && useradd --user-group --uid 10001 --create-home --shell /usr/sbin/nologin app
COPY --from=builder /opt/venv /opt/venv
# ENV_FILE empty: settings come from the container's environment only, never from a file in the image.
# HOST: gunicorn listens beyond the container, for the proxy in front (compose's nginx, the Ingress).
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 ENV_FILE= HOST=0.0.0.0
WORKDIR /app
COPY . .
# Links to the installed apps' files rather than copies of them; silk's too, for SILK_ENABLED=true.
RUN DEBUG=true SILK_ENABLED=true python manage.py collectstatic --link --noinput --verbosity 0
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["python", "deploy/healthcheck.py"]
ENTRYPOINT ["deploy/entrypoint.sh"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py"]
