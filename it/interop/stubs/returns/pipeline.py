def pipe(*fns):
    def run(value):
        for fn in fns:
            value = fn(value)
        return value
    return run
