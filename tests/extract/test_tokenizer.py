import pytest
import spacy

from kg.extract.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def tokenizer_nlp():
    return customize_tokenizer(spacy.blank("en"))


@pytest.mark.parametrize(
    "name",
    ["CIFAR-10", "ResNet-50", "ViT-L/14", "ImageNet-1K", "DINOv2-ViT-L/14", "Swin-B", "64x64", "3.55%",
     "ConvNeXt-T", "ElasticViT-S1", "+0.2%", "top-1"],
)
def test_tokenizer_keeps_ml_names_whole(tokenizer_nlp, name):
    assert [t.text for t in tokenizer_nlp(f"on {name}, and")] == ["on", name, ",", "and"]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("ResNet-50-based", ["ResNet-50", "-", "based"]),
        ("ViT-based", ["ViT", "-", "based"]),
        ("state-of-the-art", ["state", "-", "of", "-", "the", "-", "art"]),
        ("(FID)", ["(", "FID", ")"]),
        ("CIFAR-10.", ["CIFAR-10", "."]),
        ("than CLIP.", ["than", "CLIP", "."]),
        ("on Swin-B.", ["on", "Swin-B", "."]),
        ("the U.S.", ["the", "U.S."]),
        # a bracket before a name does not let the unit rule split its size off
        ("(ImageNet-1K and", ["(", "ImageNet-1K", "and"]),
        ("(JFT-300M)", ["(", "JFT-300M", ")"]),
        ("(100K)", ["(", "100", "K", ")"]),
    ],
)
def test_tokenizer_still_splits_glued_words_and_punctuation(tokenizer_nlp, text, tokens):
    assert [t.text for t in tokenizer_nlp(text)] == tokens


def test_case_does_not_change_how_a_hyphenated_phrase_splits(tokenizer_nlp):
    upper = [t.lower_ for t in tokenizer_nlp("Multi-Scale Attention")]
    lower = [t.lower_ for t in tokenizer_nlp("multi-scale attention")]
    assert upper == lower


def _one_text_at_a_time(tokenizer, texts, attr):
    return [tuple(tokenizer(text).to_array([attr]).tolist()) for text in texts]


@pytest.mark.parametrize("attr", ["ORTH", "LOWER"])
def test_token_attributes_of_joined_texts_are_those_of_each_text_alone(tokenizer_nlp, attr):
    from spacy.attrs import IDS

    from kg.extract.tokenizer import pattern_tokenizer, token_attributes
    from kg.extract.vocabulary import load_vocabulary
    from kg.extract.vocabulary_matcher import surface_variants

    tricky = ["a  b", "x\ty", "U.S.", "e.g.", "(FID)", "ResNet-50-based", "1%-2%", "Relationships(NPR)",
              "can't", "gonna", ":)", "a.m.", "St. Louis", "—", "foo \u2e3b bar", "\u00a0x", " lead", "trail\n", ""]
    forms = tricky + sorted({form for entry in load_vocabulary() for alias in entry.surface_forms
                             for form in surface_variants(alias)})
    tokenizer = pattern_tokenizer(tokenizer_nlp)
    assert token_attributes(tokenizer, forms, IDS[attr]) == _one_text_at_a_time(tokenizer, forms, IDS[attr])
