from typing import List, Tuple

__version__: str

class NativeError(Exception): ...

class Program:
    def __init__(self, sources: List[Tuple[str, str]]) -> None: ...
    def check(
        self,
        kind: str,
        payload: str,
        as_of: str,
        edition: str,
        lang: str,
        params: List[Tuple[str, str]],
        include_passed: bool,
        only: List[str],
        threads: int,
    ) -> str: ...
    def check_loaded(
        self,
        records: Loaded,
        as_of: str,
        edition: str,
        lang: str,
        params: List[Tuple[str, str]],
        include_passed: bool,
        only: List[str],
        threads: int,
    ) -> str: ...
    def rules(self, edition: str) -> str: ...
    def graph(self, format: str) -> str: ...

class Loaded:
    def counts(self) -> str: ...
    def __len__(self) -> int: ...

def load_records(kind: str, payload: str) -> Loaded: ...
def validate(kind: str, payload: str) -> str: ...
def schema(which: str) -> str: ...
def sample_company() -> Tuple[str, str]: ...
