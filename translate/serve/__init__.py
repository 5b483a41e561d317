"""``translate serve``: the HTTP service.

* :mod:`~translate.serve.batcher`: one inference worker thread; concurrent
  requests' sentences share its batches.
* :mod:`~translate.serve.service`: the operations, on plain values.
* :mod:`~translate.serve.app`, :mod:`~translate.serve.web`: the FastAPI
  application, middleware, request parsing and error answers.
* :mod:`~translate.serve.libre`: LibreTranslate-compatible endpoints;
  :mod:`~translate.serve.native`: the ``/v1`` API.
* :mod:`~translate.serve.jobs`: batch jobs on :func:`translate.jobs.batch.run_batch`.
* :mod:`~translate.serve.limits`, :mod:`~translate.serve.metrics`,
  :mod:`~translate.serve.markup`, :mod:`~translate.serve.page`,
  :mod:`~translate.serve.server`: API keys and limits, Prometheus metrics,
  HTML text nodes, the web page, uvicorn.

Importing this package imports nothing heavy; FastAPI is imported by the
modules that need it, torch with the model.
"""
