"""Resolution: one entity per real thing, stable keys, families, acronyms."""

from decimal import Decimal

from kg.extract.vocabulary import VocabularyEntry
from kg.records import Acronym, Mention, Paper, PaperExtraction, ResultMention, SourceLocation
from kg.resolve import fold_name, resolve_corpus

VOCAB = [
    VocabularyEntry("ResNet", "Architecture"),
    VocabularyEntry("ResNet-50", "Architecture", family="ResNet"),
    VocabularyEntry("FID", "Metric", aliases=("Frechet Inception Distance",)),
    VocabularyEntry("CIFAR-10", "Dataset"),
]


def paper(title):
    return Paper(id=title, title=title, abstract="", sources=(SourceLocation("t", 1),))


def mention(text, entity_type, canonical=None, cue="vocabulary", confidence=0.9):
    return Mention(text, entity_type, 0, len(text), f"about {text}.", cue, confidence, canonical)


def extraction(title, mentions, acronyms=(), proposals=(), results=()):
    return PaperExtraction(paper(title), tuple(mentions), tuple(acronyms), tuple(proposals), tuple(results))


def test_case_hyphen_and_plural_variants_are_one_entity():
    corpus = resolve_corpus([
        extraction("A", [mention("Gated Mixer", "Method", cue="proposal")]),
        extraction("B", [mention("gated-mixers", "Method", cue="list")]),
    ])
    assert len(corpus.entities) == 1
    assert {m.entity for p in corpus.papers for m in p.mentions} == {"method/gated-mixer"}


def test_acronym_and_expansion_are_one_entity_across_papers():
    corpus = resolve_corpus([
        extraction("A", [mention("Quick Flow", "Method", cue="acronym"), mention("QF", "Method", cue="acronym")],
                   acronyms=[Acronym("QF", "Quick Flow")]),
        extraction("B", [mention("QF", "Method", cue="list")]),
    ])
    (entity,) = corpus.entities.values()
    assert entity.name == "Quick Flow" and "QF" in entity.aliases
    assert corpus.papers[1].mentions[0].entity == entity.key


def test_vocabulary_alias_resolves_to_canonical_name():
    corpus = resolve_corpus([extraction("A", [mention("Frechet Inception Distance", "Metric", canonical="FID")])], VOCAB)
    assert [e.name for e in corpus.entities.values()] == ["FID"]


def test_size_variant_is_its_own_entity_linked_to_its_family():
    corpus = resolve_corpus([extraction("A", [mention("ResNet-50", "Architecture", canonical="ResNet-50")])], VOCAB)
    variant = corpus.entities["architecture/resnet-50"]
    assert variant.family == "architecture/resnet"
    assert corpus.entities["architecture/resnet"].name == "ResNet"
    # The family node exists for the graph but the paper names only the variant.
    assert [m.entity for m in corpus.papers[0].mentions] == ["architecture/resnet-50"]


def test_discovered_size_variant_links_to_discovered_family():
    corpus = resolve_corpus([extraction("A", [mention("Zorb", "Architecture", cue="title-prefix"),
                                              mention("Zorb-B", "Architecture", cue="list")])])
    assert corpus.entities["architecture/zorb-b"].family == "architecture/zorb"


def test_type_is_decided_by_the_weight_of_cues():
    corpus = resolve_corpus([
        extraction("A", [mention("Blip9", "Architecture", cue="context:backbone", confidence=0.7)]),
        extraction("B", [mention("Blip9", "Method", cue="default", confidence=0.5)]),
    ])
    assert [e.type for e in corpus.entities.values()] == ["Architecture"]


def test_results_link_to_resolved_entities_and_keys_are_stable():
    def run():
        return resolve_corpus([extraction(
            "A", [mention("FID", "Metric", canonical="FID"), mention("CIFAR-10", "Dataset", canonical="CIFAR-10"),
                  mention("Quick Flow", "Method", cue="proposal")],
            proposals=["Quick Flow"],
            results=[ResultMention("FID", Decimal("3.55"), None, "CIFAR-10", "Quick Flow", False, "s.", 0.7)])], VOCAB)

    first, second = run(), run()
    result = first.papers[0].results[0]
    assert (result.metric, result.dataset, result.subject) == ("metric/fid", "dataset/cifar-10", "method/quick-flow")
    assert first.papers[0].proposes == ("method/quick-flow",)
    assert first == second


def test_fold_name_matches_the_scorer_rules():
    assert fold_name("ImageNet 64x64") == fold_name("imagenet-64x64")
    assert fold_name("DeiT-S") != fold_name("DeiT")


def test_dataset_at_a_resolution_links_to_its_family():
    corpus = resolve_corpus([extraction("A", [mention("ImageNet", "Dataset", cue="list"),
                                              mention("ImageNet 224 x 224", "Dataset", cue="resolution")])])
    assert corpus.entities["dataset/imagenet-224-x-224"].family == "dataset/imagenet"
