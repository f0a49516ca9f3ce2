"""Interop stub for dataclass_wizard (not packaged by Debian): eclipse-volttron uses it only to read and write
its credential and known-host files as JSON; nothing of it reaches the VIP wire."""
import dataclasses
import json


class JSONSerializable:
    @classmethod
    def from_dict(cls, obj):
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in obj.items() if k in names})

    @classmethod
    def from_json(cls, text):
        return cls.from_dict(json.loads(text))

    def to_dict(self):
        return dataclasses.asdict(self)

    def to_json(self, indent=None, **kwargs):
        return json.dumps(self.to_dict(), indent=indent)


JSONWizard = JSONSerializable
