class UnwrapFailedError(Exception): pass
