# translate serve in a container: CPU torch, the `serve` extra, port 5000.
#
#   docker build -t translate-serve .
#   docker run --rm -p 127.0.0.1:5000:5000 -v translate-models:/models -v translate-jobs:/jobs \
#       translate-serve
#
# Inside the container the server binds 0.0.0.0 (the container's own network);
# publish the port on 127.0.0.1 as above, or put it behind a proxy and add
# --api-keys. The default model is downloaded into /models on first start
# (CC-BY-NC-4.0: non-commercial use); pass another with
#   docker run ... translate-serve translate serve --host 0.0.0.0 --model opus-mt-trk-en
# See docs/serve.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TRANSLATE_MODELS_DIR=/models \
    HF_HOME=/models/hf

WORKDIR /app
# CPU build of torch first (the public index's default build brings CUDA, several GB)
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md LICENSE ./
COPY models/registry ./models/registry
COPY translate ./translate
RUN pip install '.[serve]' \
    && useradd --create-home --uid 10001 translate \
    && mkdir -p /models /jobs \
    && chown translate /models /jobs

USER translate
WORKDIR /jobs
VOLUME ["/models", "/jobs"]
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/health', timeout=4)"
CMD ["translate", "serve", "--host", "0.0.0.0", "--port", "5000", "--jobs-dir", "/jobs"]
