"""The `openai` provider: the official SDK's AsyncOpenAI against any OpenAI-compatible endpoint.

Chat completions with a strict JSON-schema `response_format` built from `DraftReply`; every
reply is validated with pydantic. Retries belong to tenacity alone (the SDK's own are off):
rate limits, 5xx, timeouts and connection errors wait and try again, honouring Retry-After;
a reply that fails validation, is cut short or filtered is asked for again with the problem
named, as instructor re-asks. `cache_key` names everything that shapes a reply, so
`providers.cache` can keep replies and a re-run costs nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from email.utils import parsedate_to_datetime
from typing import Any, cast

import httpx
import openai
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from angleforge.config import Settings
from angleforge.drafts import Completion, DraftReply, DraftRequest, Usage, strict_schema
from angleforge.providers.base import Answer, EndpointRefused, ProviderError, R

_RETRY_STATUSES = {408, 409, 429}
_REFUSALS = {401, 403}  # the endpoint will not serve this key: every request would be refused alike


class ReplyError(Exception):
    """The model answered, but not with a usable draft: ask again, saying what was wrong."""

    def __init__(self, problem: str, raw: str) -> None:
        super().__init__(problem)
        self.raw = raw


class Refusal(Exception):
    """The model declined to write the draft; asking again will not change its mind."""


def make_client(
    *, api_key: str | None, base_url: str | None, timeout: float, http_client: httpx.AsyncClient | None = None
) -> openai.AsyncOpenAI:
    """The one place a client is made; the SDK's own retries are off, since tenacity owns them.

    Without `http_client` the SDK's own transport (httpx2) carries the requests: under
    concurrency it spends about a third less CPU per request than a legacy httpx client, and
    that CPU is what keeps a run from its ideal time (benchmarks/generation.py). A legacy
    httpx client is handed in where its transport must be swapped: respx mocks in the tests
    and the recorded replies of the evals."""
    return openai.AsyncOpenAI(
        api_key=api_key or "unused",  # local servers (vLLM, Ollama, llama.cpp) ask for no key
        base_url=base_url,
        max_retries=0,
        timeout=timeout,
        http_client=http_client,  # type: ignore[arg-type]
    )


def retry_after(error: BaseException) -> float | None:
    """Seconds the server asked us to wait (Retry-After or retry-after-ms), if it said."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def is_transient(error: BaseException) -> bool:
    if isinstance(error, (openai.APITimeoutError, openai.APIConnectionError, ReplyError)):
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in _RETRY_STATUSES or error.status_code >= 500
    return isinstance(error, openai.APIResponseValidationError)


_SECRET = re.compile(r"(?:sk|key|token)[-_][A-Za-z0-9_-]{6,}|Bearer\s+\S+", re.IGNORECASE)


def _server_said(error: openai.APIStatusError) -> str:
    """The server's own error message, short, with anything key-like blotted out (some servers
    echo the key they refused)."""
    body = error.body if isinstance(error.body, dict) else {}
    nested = body.get("error", body)
    message = nested.get("message") if isinstance(nested, dict) else None
    if not isinstance(message, str):
        return ""
    return _SECRET.sub("[redacted]", " ".join(message.split()))[:200]


def describe(error: BaseException, endpoint: str) -> str:
    """One line for a failure, without anything from the request (no key, no headers); the
    `endpoint` is named where the trouble is reaching it or being let in."""
    if isinstance(error, openai.APITimeoutError):
        return f"the request to {endpoint} timed out"
    if isinstance(error, openai.APIConnectionError):
        return f"could not connect to {endpoint}"
    if isinstance(error, openai.APIStatusError) and error.status_code in _REFUSALS:
        return f"{endpoint} refused the request: {_status(error)}"
    if isinstance(error, openai.APIStatusError):
        return _status(error)
    if isinstance(error, (ReplyError, Refusal)):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _status(error: openai.APIStatusError) -> str:
    """An HTTP error status, what it usually means, and what the server said of it."""
    reason = {
        401: "the API key was refused",
        403: "access denied",
        404: "model or endpoint not found",
        429: "rate limited",
    }.get(error.status_code, "")
    said = _server_said(error)
    return f"HTTP {error.status_code}" + (f" ({reason})" if reason else "") + (f": {said}" if said else "")


def shown(url: object) -> str:
    """An endpoint's URL as it may be shown: without user, password, query or fragment, where
    a key may have been put."""
    parsed = httpx.URL(str(url))
    return str(parsed.copy_with(userinfo=b"", query=None, fragment=None))


class OpenAIProvider:
    name = "openai"
    offline = False

    def __init__(self, *, model: str, settings: Settings, client: openai.AsyncOpenAI) -> None:
        self.model = model
        self._settings = settings
        self._client = client
        self._schema = strict_schema(DraftReply)
        self._formats: dict[type[BaseModel], dict[str, Any]] = {}

    async def aclose(self) -> None:
        await self._client.close()

    def cache_key(self, request: DraftRequest) -> str:
        """Everything that shapes the reply to `request`: endpoint, model, messages, schema,
        sampling."""
        shape = {
            "endpoint": str(self._client.base_url),
            "model": self.model,
            "messages": request.messages,
            "schema": self._schema,
            "temperature": self._settings.generate.temperature,
            "seed": request.seed,
        }
        return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()

    async def complete(self, request: DraftRequest) -> Completion:
        answer = await self.ask(request.messages, DraftReply, request.seed)
        return Completion(
            reply=answer.reply,
            raw=answer.raw,
            usage=answer.usage,
            cost=self._cost(answer.usage),
            latency=answer.seconds,
            retries=answer.tries - 1,
        )

    async def ask(self, messages: list[dict[str, str]], reply_type: type[R], seed: int) -> Answer[R]:
        """One structured answer of `reply_type`, with the retries and re-asks it takes."""
        asked = list(messages)
        usage, raw, tries = Usage(), "", 0
        started = time.perf_counter()
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._settings.generate.attempts),
            wait=self._wait,
            retry=retry_if_exception(is_transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    tries += 1
                    response = await self._call(asked, reply_type, seed)
                    if response.usage is not None:
                        usage += Usage(response.usage.prompt_tokens, response.usage.completion_tokens)
                    try:
                        raw, reply = self._read(response, reply_type)
                    except ReplyError as problem:
                        raw = problem.raw
                        asked = [
                            *messages,
                            {"role": "assistant", "content": problem.raw[:4000]},
                            {
                                "role": "user",
                                "content": f"That reply was not usable: {problem}. "
                                "Answer again with JSON that matches the schema.",
                            },
                        ]
                        raise
        except Exception as error:
            tries_text = f" (gave up after {tries} {'try' if tries == 1 else 'tries'})" if tries > 1 else ""
            refused = isinstance(error, openai.APIStatusError) and error.status_code in _REFUSALS
            raise (EndpointRefused if refused else ProviderError)(
                f"{describe(error, shown(self._client.base_url))}{tries_text}",
                attempts=tries,
                raw=raw,
                usage=usage,
                cost=self._cost(usage),
                seconds=time.perf_counter() - started,
            ) from None
        return Answer(reply=reply, raw=raw, usage=usage, seconds=time.perf_counter() - started, tries=tries)

    async def _call(self, messages: list[dict[str, str]], reply_type: type[BaseModel], seed: int) -> Any:
        generate = self._settings.generate
        if reply_type not in self._formats:
            self._formats[reply_type] = {
                "type": "json_schema",
                "json_schema": {
                    "name": reply_type.__name__.lower(),
                    "schema": strict_schema(reply_type),
                    "strict": True,
                },
            }
        try:
            response = await self._client.chat.completions.create(
                model=self.model,
                messages=cast(Any, messages),
                response_format=cast(Any, self._formats[reply_type]),
                temperature=generate.temperature,
                seed=seed,
                timeout=generate.timeout,
            )
        except ValueError as error:  # the SDK could not decode the body: JSONDecodeError and kin
            raise ReplyError("the server's reply was not JSON", str(getattr(error, "doc", ""))[:4000]) from None
        if not hasattr(response, "choices"):  # a body served as text comes back as a str
            raise ReplyError("the server's reply was not JSON", str(response)[:4000])
        return response

    def _cost(self, usage: Usage) -> float:
        return self._settings.cost(self.model, usage.prompt_tokens, usage.completion_tokens)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        ceiling = self._settings.generate.max_wait
        asked = retry_after(error) if error is not None else None
        if asked is not None:
            return min(asked, ceiling)
        return float(wait_exponential_jitter(multiplier=0.5, max=ceiling, jitter=0.5)(state))

    @staticmethod
    def _read(response: Any, reply_type: type[R]) -> tuple[str, R]:
        """The validated reply of a chat completion, or why there is none."""
        if not getattr(response, "choices", None):
            raise ReplyError("the reply had no choices", "")
        choice = response.choices[0]
        message = choice.message
        content = message.content or ""
        if getattr(message, "refusal", None):
            raise Refusal(f"the model refused: {message.refusal}")
        if choice.finish_reason == "length":
            raise ReplyError("the reply was cut off at the token limit", content)
        if choice.finish_reason == "content_filter":
            raise ReplyError("the reply was stopped by the content filter", content)
        if choice.finish_reason not in ("stop", None) and not content:
            raise ReplyError(f"the reply ended with finish_reason={choice.finish_reason}", content)
        try:
            return content, reply_type.model_validate_json(content)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            problem = "it was not JSON" if first["type"] == "json_invalid" else f"{where}: {first['msg']}"
            raise ReplyError(f"the reply did not match the schema ({problem})", content) from None
