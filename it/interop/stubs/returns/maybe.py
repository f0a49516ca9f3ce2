from typing import Generic, TypeVar

T = TypeVar("T")


class Maybe(Generic[T]):
    __match_args__ = ("_inner",)

    def __init__(self, inner=None):
        self._inner = inner

    def unwrap(self):
        return self._inner


class Some(Maybe):
    pass


Nothing = Maybe(None)


def maybe(fn):
    def wrapper(*args, **kwargs):
        value = fn(*args, **kwargs)
        return Nothing if value is None else Some(value)
    return wrapper
