"""What the cluster can analyse, asked from the node itself.

The integration-test distribution (and many small managed clusters) has no Chinese analysis plugin and not even the
analysis-common module, so the index mappings never depend on one: Han text goes to the built-in `standard`
analyzer (one token per character, good for phrases) and jieba-segmented copies to the built-in `whitespace`
analyzer. Where the cluster has a Chinese analysis plugin (IK, smartcn or ICU), new indices also get a `zh`
sub-field analysed by it on their Han text fields (search.es.documents.build_index), and queries match words in it
too; `scripts/es.sh` starts a node with smartcn when ES_PLUGINS=smartcn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch

ICU_TOKENIZER = "icu_tokenizer"
# One probe per capability: the _analyze API answers 400 when a named analyzer, tokenizer or filter is unknown.
_PROBES: dict[str, dict[str, Any]] = {
    "smartcn": {"analyzer": "smartcn"},
    "icu_tokenizer": {"tokenizer": "icu_tokenizer"},
    "ik_max_word": {"analyzer": "ik_max_word"},
    # The whitespace tokenizer and asciifolding filter both live in the analysis-common module.
    "analysis_common": {"tokenizer": "whitespace", "filter": ["asciifolding"]},
}


@dataclass(frozen=True, kw_only=True)
class Capabilities:
    version: str
    smartcn: bool
    icu_tokenizer: bool
    ik_max_word: bool
    analysis_common: bool

    @property
    def chinese_analyzer(self) -> str | None:
        """The best plugin analysis for Chinese on this cluster: an analyzer's name, or ICU_TOKENIZER (a tokenizer,
        which an index wraps in an analyzer of its own); None when only the built-in ones exist."""
        if self.ik_max_word:
            return "ik_max_word"
        if self.smartcn:
            return "smartcn"
        if self.icu_tokenizer:
            return ICU_TOKENIZER
        return None


def _probe(client: Elasticsearch, body: dict[str, Any]) -> bool:
    try:
        client.indices.analyze(text="社保查询", **body)
    except BadRequestError:
        return False
    return True


def cluster_capabilities(client: Elasticsearch) -> Capabilities:
    # GET / lives in the rest-root module, which the integration-test distribution leaves out; node info does not.
    nodes = client.nodes.info(node_id="_local", filter_path="nodes.*.version")["nodes"]
    version = str(next(iter(nodes.values()))["version"])
    found = {name: _probe(client, body) for name, body in _PROBES.items()}
    return Capabilities(version=version, **found)
