from typing import Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E")


class Result(Generic[T, E]):
    __match_args__ = ("_inner",)

    def __init__(self, inner=None):
        self._inner = inner

    @classmethod
    def from_value(cls, value):
        return Success(value)

    def unwrap(self):
        if isinstance(self, Failure):
            from .primitives.exceptions import UnwrapFailedError
            raise UnwrapFailedError(self)
        return self._inner


class Success(Result):
    pass


class Failure(Result):
    pass
