"""Sinch callbacks in a Django project: one view handing ``request.body`` to the dispatcher.

Add ``path("sinch/callback", sinch_callback)`` to your urlpatterns.
"""

from __future__ import annotations

import os

import sinch_voice as sv
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from sinch_voice.webhooks import Dispatcher

dispatcher = Dispatcher(os.environ["SINCH_APPLICATION_KEY"], os.environ["SINCH_APPLICATION_SECRET"])


@dispatcher.on_ice
def incoming_call(event: sv.IceRequest) -> sv.Svaml:
    return sv.Svaml(action=sv.SvamlActionConnectPstn(number="+46700000000"))


@csrf_exempt  # the platform signs its callbacks; it has no CSRF token
def sinch_callback(request: HttpRequest) -> HttpResponse:
    try:
        body = request.body  # the raw bytes: the signature covers them exactly
    except RequestDataTooBig:
        # over DATA_UPLOAD_MAX_MEMORY_SIZE Django reads nothing (its own answer would be 400):
        # tell the platform what the dispatcher tells it for a body over its own limit
        return JsonResponse({"error": "body too large"}, status=413)
    answer = dispatcher.handle(
        request.method or "GET",
        request.path,  # includes SCRIPT_NAME, as the platform signed it
        request.headers.items(),
        body,
    )
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers:
        response[name] = value
    return response
