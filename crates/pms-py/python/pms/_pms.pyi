from typing import Any, Callable, Dict, List, Optional, Tuple

# (as_of, edition, lang, params, include_passed, only, threads)
Options = Tuple[str, str, str, List[Tuple[str, str]], bool, List[str], int]

__version__: str

class NativeError(Exception): ...

class Program:
    def __init__(self, sources: List[Tuple[str, str]]) -> None: ...
    def check(
        self,
        kind: str,
        payload: str,
        options: Options,
        max_input_size: Optional[int] = ...,
        progress: Optional[Callable[[Dict[str, Any]], Any]] = ...,
    ) -> str: ...
    def check_loaded(
        self, records: Loaded, options: Options, progress: Optional[Callable[[Dict[str, Any]], Any]] = ...
    ) -> str: ...
    def load(
        self,
        kind: str,
        payload: str,
        max_input_size: Optional[int] = ...,
        progress: Optional[Callable[[Dict[str, Any]], Any]] = ...,
    ) -> Loaded: ...
    def rules(self, edition: str) -> str: ...
    def graph(self, format: str) -> str: ...

class Loaded:
    def counts(self) -> str: ...
    def __len__(self) -> int: ...

def load_records(
    kind: str,
    payload: str,
    max_input_size: Optional[int] = ...,
    progress: Optional[Callable[[Dict[str, Any]], Any]] = ...,
) -> Loaded: ...
def validate(
    kind: str,
    payload: str,
    max_input_size: Optional[int] = ...,
    progress: Optional[Callable[[Dict[str, Any]], Any]] = ...,
) -> str: ...
def read_rule_file(path: str, max_input_size: Optional[int] = ...) -> str: ...
def schema(which: str) -> str: ...
def sample_company() -> Tuple[str, str]: ...
