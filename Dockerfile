# The graphfraud API (and CLI) image, used by docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    NUMBA_CACHE_DIR=/tmp/numba-cache
WORKDIR /app

COPY pyproject.toml README.md ./
COPY graphfraud ./graphfraud
COPY cypher ./cypher
COPY policy ./policy
# Editable install keeps cypher/ and policy/ beside the package, where graphfraud looks for them.
RUN pip install -e . \
    && useradd --create-home --uid 10001 graphfraud \
    && mkdir -p /work/demo && chown graphfraud /work/demo
USER graphfraud
EXPOSE 8000
CMD ["graphfraud", "serve"]
