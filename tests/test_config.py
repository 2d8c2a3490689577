from pathlib import Path

import pytest

from index.config import ConfigError, config_from_dict, load_config, parse_size

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_loads():
    cfg = load_config(str(ROOT / "config.yaml"))
    assert cfg.corpus_paths() == [ROOT / "seeds"]
    assert cfg.max_file_size == 5_000_000
    assert {g.name for g in cfg.highlight_groups} >= {"numbers", "sources"}


def test_defaults_without_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    cfg = load_config(None)
    assert cfg.corpus == ["seeds"] and cfg.path is None


def test_index_dir_default_is_outside_the_corpus(tmp_path):
    cfg = config_from_dict({"corpus": [str(tmp_path)]})
    idx = cfg.index_path(cfg.corpus_paths())
    assert tmp_path not in idx.parents


@pytest.mark.parametrize("raw,needle", [
    ([1, 2], "mapping"),
    ({"corpus": 3}, "corpus"),
    ({"colour": "x"}, "unknown key 'colour'"),
    ({"max_file_size": "lots"}, "not a size"),
    ({"highlight_groups": [{"name": "x", "patterns": ["("]}]}, "bad regular expression"),
    ({"highlight_groups": [{"name": "x", "colour": "chartreuse"}]}, "colour"),
    ({"fields": {"body": "nonsense"}}, "fields"),
    ({"keys": ["n"]}, "keys"),
    ({"articles": {"a.txt": {"colour": "x"}}}, "unknown key"),
])
def test_bad_config_one_line(raw, needle):
    with pytest.raises(ConfigError) as ei:
        config_from_dict(raw)
    assert needle in str(ei.value) and "\n" not in str(ei.value)


def test_invalid_yaml_names_the_line(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("corpus: [a\nfoo: : :\n", encoding="utf-8")
    with pytest.raises(ConfigError) as ei:
        load_config(str(p))
    assert "not valid YAML" in str(ei.value)


def test_sizes():
    assert parse_size("5 MB") == 5_000_000
    assert parse_size("1 MiB") == 1024 * 1024
    assert parse_size(123) == 123
