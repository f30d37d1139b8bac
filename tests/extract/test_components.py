"""Each extraction component on short abstracts written for the purpose."""

from decimal import Decimal

import pytest

from kg.extract.acronyms import find_acronym_definitions
from kg.extract.pipeline import extraction_from_doc
from kg.records import Paper, SourceLocation
from kg.resolve.resolver import MIN_CONFIDENCE


def extract(nlp, title, abstract):
    paper = Paper(id="t-000", title=title, abstract=abstract, sources=(SourceLocation("test", 1),))
    return extraction_from_doc(paper, nlp(paper.text))


def typed(extraction):
    return {(m.text, m.type) for m in extraction.mentions}


def test_sentences_put_title_on_its_own(nlp):
    doc = nlp("A Title Without Full Stop\n\nFirst sentence here. Second one, e.g. this.")
    assert [s.text.strip() for s in doc.sents] == [
        "A Title Without Full Stop", "First sentence here.", "Second one, e.g. this."]


def test_vocabulary_finds_typed_names_in_any_case_and_spelling(nlp):
    e = extract(nlp, "Notes", "We train a ResNet-50 with knowledge distillation on imagenet-1k and report Top-1 Accuracy.")
    found = typed(e)
    assert ("ResNet-50", "Architecture") in found
    assert ("knowledge distillation", "Method") in found
    assert ("imagenet-1k", "Dataset") in found
    assert ("Top-1 Accuracy", "Metric") in found


def test_capital_names_of_several_parts_also_match_in_title_case(nlp):
    e = extract(nlp, "Notes", "We test on Pascal VOC 2012 and Cifar-10. Meteor showers and Kitti the cat are no data.")
    found = typed(e)
    assert ("Pascal VOC 2012", "Dataset") in found and ("Cifar-10", "Dataset") in found
    assert not {"Meteor", "Kitti"} & {text for text, _ in found}


def test_plurals_in_es_are_matched_in_both_directions(nlp):
    e = extract(nlp, "Notes", "A Gaussian process prior and focal losses, trained with anchor box priors.")
    names = {m.canonical for m in e.mentions}
    assert {"Gaussian processes", "focal loss", "anchor boxes"} <= names


def test_short_aliases_match_only_with_their_case(nlp):
    e = extract(nlp, "Notes", "This is a model that can align images. The IS of the model is high.")
    names = {m.text for m in e.mentions}
    assert "IS" in names and "is" not in names and "align" not in names


def test_acronym_definition_joins_long_and_short_forms():
    pairs = [(d.short, d.long) for d in find_acronym_definitions(
        "We use Frechet Inception Distance (FID) and introduce Gated Patch Mixing (GPM).")]
    assert pairs == [("FID", "Frechet Inception Distance"), ("GPM", "Gated Patch Mixing")]


def test_title_prefix_is_a_proposal_typed_from_context(nlp):
    e = extract(nlp, "ZorbNet: Faster Image Recognition",
                "We present ZorbNet, a family of convolutional networks. ZorbNet is fast.")
    assert "ZorbNet" in e.proposals
    assert ("ZorbNet", "Architecture") in typed(e)


@pytest.mark.parametrize(
    "abstract, name, entity_type",
    [
        ("In this work we propose Gated Patch Mixing (GPM), a novel module for vision models.", "Gated Patch Mixing", "Method"),
        ("We introduce Flarebench, a new benchmark of 10k hard images.", "Flarebench", "Dataset"),
        ("We present a simple loss, called Tri-Align, that stabilises training.", "Tri-Align", "Method"),
        ("We name our models Glimmer Nets (GN) for short.", "Glimmer Nets", "Architecture"),
        ('We call this method "Sparse Patch Voting" and test it.', "Sparse Patch Voting", "Method"),
    ],
)
def test_proposal_patterns_find_and_type_new_names(nlp, abstract, name, entity_type):
    e = extract(nlp, "Some Title", abstract)
    assert name in e.proposals
    assert (name, entity_type) in typed(e)


def test_typed_context_and_lists_type_unknown_names(nlp):
    e = extract(nlp, "Notes", "We evaluate on the Qwerty-7 dataset. Our model beats ConvNeXt-B, ZapViT and Blorp-3.")
    found = typed(e)
    assert ("Qwerty-7", "Dataset") in found
    assert ("ZapViT", "Architecture") in found
    assert ("Blorp-3", "Architecture") in found


def test_result_with_metric_value_dataset_and_proposal_subject(nlp):
    e = extract(nlp, "QuickFlow: One Step Generation",
                "We propose QuickFlow. QuickFlow achieves an FID of 3.55 on CIFAR-10 in one step.")
    assert [(r.metric, r.value, r.unit, r.dataset, r.subject, r.relative) for r in e.results] == [
        ("FID", Decimal("3.55"), None, "CIFAR-10", "QuickFlow", False)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("It achieves 83.4% top-1 accuracy on ImageNet-1K.", [("top-1 accuracy", Decimal("83.4"), "%", "ImageNet-1K", False)]),
        ("It improves top-1 accuracy by 2.1% on ImageNet-1K.", [("top-1 accuracy", Decimal("2.1"), "%", "ImageNet-1K", True)]),
        ("It runs at 58 FPS with a mAP of 72.1% on VOC2007.", [("mAP", Decimal("72.1"), "%", "VOC2007", False)]),
        ("The FID improves from 37.2 to 23.3 on CelebA-HQ.", [("FID", Decimal("37.2"), None, "CelebA-HQ", False),
                                                           ("FID", Decimal("23.3"), None, "CelebA-HQ", False)]),
        ("We train on 1,000 images for 300 epochs in 2023.", []),
        # Attributes and exponents are no values: "1-D heatmaps", "a 500-item subset", "384^2".
        ("It keeps accuracy with 1-D heatmaps on a 500-item subset at 384^2 resolution.", []),
        ("It improves the localization accuracy by up to 2× on KITTI.", [("accuracy", Decimal("2"), "x", "KITTI", True)]),
        # An index is no value: "FID 5.09 at epoch 10"; "1.0 frame/sec" is a speed in FPS.
        ("It reaches an FID of 5.09 at epoch 10.", [("FID", Decimal("5.09"), None, None, False)]),
        # A count with a describing word between: "15 different models"; but "7.0 average points" measure.
        ("On the benchmark we tested the accuracy of 15 different models.", []),
        ("It surpasses previous methods by 7.0 average points in terms of mIoU.", [("mIoU", Decimal("7.0"), None, None, True)]),
        ("It runs at a speed of 1.0 frame/sec on a Raspberry Pi.", [("frame/sec", Decimal("1.0"), "FPS", None, False)]),
    ],
)
def test_result_parser_reads_values_units_and_relative_gains(nlp, sentence, expected):
    # The listed results are found; and only they when the sentence reports one value.
    e = extract(nlp, "Notes", "We propose nothing new. " + sentence)
    got = [(r.metric, r.value, r.unit, r.dataset, r.relative) for r in e.results]
    for item in expected:
        assert item in got
    if not expected:
        assert got == []


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # The unit names the metric: 58 FPS is a speed, not a mAP.
        ("It achieves 72.1% mAP on VOC2007 test at 58 FPS.", [("mAP", Decimal("72.1"), "%", "VOC2007"),
                                                             ("FPS", Decimal("58"), "FPS", "VOC2007")]),
        # The metric named right after a comparative wins over the one before the number.
        ("It gives 3.1% better AUC, 2.5% better F1 and 1.2% better accuracy.",
         [("AUC", Decimal("3.1"), "%", None), ("F1", Decimal("2.5"), "%", None), ("accuracy", Decimal("1.2"), "%", None)]),
        # A range takes the metric named after its second number.
        ("Under the same throughput, it gets 0.8% to 1.6% higher top-1 accuracy on ImageNet-1K.",
         [("top-1 accuracy", Decimal("0.8"), "%", "ImageNet-1K"), ("top-1 accuracy", Decimal("1.6"), "%", "ImageNet-1K")]),
        # The dataset of a number is in its own clause, not the next one.
        ("It improves CelebA-HQ FID from 9.1 to 6.2, and reduces LSUN FID from 8.0 to 5.5.",
         [("FID", Decimal("9.1"), None, "CelebA-HQ"), ("FID", Decimal("6.2"), None, "CelebA-HQ"),
          ("FID", Decimal("8.0"), None, "LSUN"), ("FID", Decimal("5.5"), None, "LSUN")]),
        # Pre-training data is not where the number was measured.
        ("It reaches 86.5% top-1 accuracy on ImageNet-1K; with ImageNet-21K pre-training, it reaches 88.7% top-1 accuracy.",
         [("top-1 accuracy", Decimal("88.7"), "%", "ImageNet-1K")]),
        ("It achieves a top-5 error of 3.08 percent on ImageNet.", [("top-5 error", Decimal("3.08"), "%", "ImageNet")]),
    ],
)
def test_result_metric_and_dataset_come_from_the_numbers_own_words(nlp, sentence, expected):
    e = extract(nlp, "Notes", "We propose nothing new. " + sentence)
    got = [(r.metric, r.value, r.unit, r.dataset) for r in e.results]
    for item in expected:
        assert item in got


def test_durations_report_training_or_inference_time(nlp):
    e = extract(nlp, "Notes", "We propose nothing new. Training took about 5 hours, and inference about 2 seconds.")
    assert [(r.metric, r.value, r.unit) for r in e.results] == [("hours", Decimal("5"), "h"), ("seconds", Decimal("2"), "s")]
    canonical = {m.text: m.canonical for m in e.mentions if m.type == "Metric"}
    assert canonical == {"hours": "training time", "seconds": "inference time"}


def test_results_carry_context_from_earlier_numbers(nlp):
    e = extract(nlp, "QuickGen: Fast Generation",
                "We propose QuickGen. QuickGen reaches 75.3% top-1 accuracy on ImageNet, and the accuracy "
                "improves to 76.2% with augmentation. It reaches an FID of 23.3 on CelebA-HQ, beating "
                "progressive distillation by a large margin (37.2 rightarrow 23.3 in FID). "
                "With a larger network, we further improve the FID to 22.4. "
                "Segmentation takes about 2-3 seconds.")
    got = {(r.metric, r.value, r.dataset, r.subject) for r in e.results}
    assert ("top-1 accuracy", Decimal("76.2"), "ImageNet", "QuickGen") in got  # "the accuracy" is the top-1 reported
    assert ("FID", Decimal("37.2"), "CelebA-HQ", "progressive distillation") in got
    assert ("FID", Decimal("23.3"), "CelebA-HQ", "progressive distillation") not in got  # after the arrow: ours
    assert ("FID", Decimal("22.4"), "CelebA-HQ", "QuickGen") in got  # the benchmark of the last FID
    assert {r.value for r in e.results if r.metric == "seconds"} == {Decimal("2"), Decimal("3")}
    assert ("accuracy", "Metric") not in {(m.text, m.type) for m in e.mentions if m.confidence >= MIN_CONFIDENCE}
    gains = extract(nlp, "Notes", "We propose a curriculum. It gives gains of 11.1% on CIFAR-10, 9.0% on CIFAR-100, and 7.3% on SVHN.")
    assert {(r.metric, r.value, r.dataset, r.relative) for r in gains.results} == {
        (None, Decimal("11.1"), "CIFAR-10", True), (None, Decimal("9.0"), "CIFAR-100", True), (None, Decimal("7.3"), "SVHN", True)}


def test_result_subjects_follow_brackets_our_models_and_named_proposals(nlp):
    e = extract(nlp, "ZorbNet and ZorbViT: Two Backbones",
                "We propose ZorbNet, and we present ZorbViT, a backbone built on it. "
                "Under the same throughput, ZorbViT achieves 1.2% higher top-1 accuracy on ImageNet-1K. "
                "Our huge-size ZorbNet attains 85.0% top-1 accuracy, better than Swin-B (83.3%).")
    got = {(r.value, r.subject) for r in e.results}
    assert (Decimal("1.2"), "ZorbViT") in got  # the proposal the clause names, not the first one
    assert (Decimal("85.0"), "ZorbNet") in got  # "our huge-size X"
    assert (Decimal("83.3"), "Swin-B") in got  # the model right before a bracketed number


def test_defined_acronym_of_a_title_name_is_tagged_where_it_is_used(nlp):
    e = extract(nlp, "Multi-criteria Token Fusion for Efficient Vision Transformers",
                "We propose a Multi-criteria Token Fusion (MCTF) that fuses tokens. DeiT-T with MCTF reduces FLOPs by 44%.")
    assert ("MCTF", "Method") in typed(e)
    assert [(r.subject, r.value) for r in e.results] == [("MCTF", Decimal("44"))]


def test_evaluation_subsets_by_size_and_a_subject_after_a_comma(nlp):
    e = extract(nlp, "Fast Generation", "On MS COCO 2014-30k, QuickGen yields an FID of 13.1 in just 0.09 second.")
    found = typed(e)
    assert ("MS COCO 2014-30k", "Dataset") in found
    assert ("QuickGen", "Dataset") not in found  # a comma after a dataset does not start a list here
    got = {(r.metric, r.value, r.dataset) for r in e.results}
    assert ("FID", Decimal("13.1"), "MS COCO 2014-30k") in got
    assert ("second", Decimal("0.09"), "MS COCO 2014-30k") in got  # the span of an implied "inference time"


def test_every_mention_keeps_its_evidence_sentence(nlp):
    e = extract(nlp, "Notes", "First we use CIFAR-10. Then we use ImageNet.")
    evidence = {m.text: m.sentence for m in e.mentions}
    assert evidence["CIFAR-10"] == "First we use CIFAR-10."
    assert evidence["ImageNet"] == "Then we use ImageNet."


@pytest.mark.parametrize(
    "abstract, expected, unexpected",
    [
        ("We study one-step image generation with care.", ("one-step image generation", "Task"), "image generation"),
        ("We apply Gaussian pruning to the splats.", ("Gaussian pruning", "Method"), "pruning"),
        ("It uses efficient image classification heads.", ("image classification", "Task"), "efficient image classification"),
        ("Our method improves image classification.", ("image classification", "Task"), "improves image classification"),
        ("Results on ADE-20k semantic segmentation.", ("semantic segmentation", "Task"), "ADE-20k semantic segmentation"),
        ("We study one shot domain adaptation.", ("one shot domain adaptation", "Task"), "shot domain adaptation"),
    ],
)
def test_compounds_grow_known_heads_over_naming_modifiers_only(nlp, abstract, expected, unexpected):
    found = typed(extract(nlp, "Notes", abstract))
    assert expected in found
    assert unexpected not in {text for text, _ in found}


def test_elided_head_names_both_conjuncts(nlp):
    e = extract(nlp, "Notes", "The model does image and video generation well.")
    names = {(m.canonical or m.text, m.type) for m in e.mentions}
    assert ("image generation", "Task") in names and ("video generation", "Task") in names


def test_generic_phrases_are_not_proposals(nlp):
    e = extract(nlp, "Deep Learning for Reading Charts", "Deep Learning is used here. We propose a new learning algorithm.")
    assert e.proposals == ()


def test_dataset_at_a_resolution_and_year_first_challenges(nlp):
    e = extract(nlp, "Notes", "We train on ImageNet 224 x 224 and report on the 2015 ILSVRC challenge.")
    names = {(m.canonical or m.text, m.type) for m in e.mentions}
    assert ("ImageNet 224 x 224", "Dataset") in names
    assert ("ILSVRC 2015", "Dataset") in names


def test_dataset_of_a_year_is_its_own_dataset(nlp):
    e = extract(nlp, "Notes", "Our entry won the ImageNet Challenge 2014; we also test on CIFAR-10 2019 splits.")
    names = {m.text for m in e.mentions if m.type == "Dataset"}
    assert "ImageNet Challenge 2014" in names
    assert "CIFAR-10 2019" not in names  # a name ending in a digit takes no year


def test_title_activity_names_the_task(nlp):
    e = extract(nlp, "Generating Nighttime Radar Imagery from Optical Observations", "We do it well.")
    assert ("Generating Nighttime Radar Imagery", "Task") in typed(e)


def test_hyphen_split_names_are_one_name(nlp):
    e = extract(nlp, "Notes", "It beats LV-ViT and T2T-ViT on ImageNet.")
    found = typed(e)
    assert ("LV-ViT", "Architecture") in found and ("T2T-ViT", "Architecture") in found
    assert "LV" not in {text for text, _ in found}


def test_hyphenated_model_classes_name_each_class(nlp):
    e = extract(nlp, "Notes", "We design a CNN-ViT hybrid and compare it with MLP-Mixer.")
    found = typed(e)
    assert ("CNN", "Architecture") in found and ("ViT", "Architecture") in found
    assert "CNN-ViT" not in {text for text, _ in found}
    assert ("MLP-Mixer", "Architecture") in found


def test_variant_named_by_a_plain_prefix_before_a_known_name_is_one_name(nlp):
    e = extract(nlp, "Notes", "We compare C-LSTM with Pose-AffectNet and Zorb-ViT. Non-Transformer baselines lag.")
    found = typed(e)
    assert ("C-LSTM", "Architecture") in found and ("Pose-AffectNet", "Dataset") in found
    assert ("Zorb-ViT", "Architecture") in found
    texts = {text for text, _ in found}
    assert not {"LSTM", "AffectNet", "ViT"} & texts
    assert "Non-Transformer" not in texts


@pytest.mark.parametrize(
    "sentence, kept",
    [("Images come with classification labels.", False), ("We study classification tasks.", True)],
)
def test_one_word_task_used_as_a_modifier_is_not_a_mention(nlp, sentence, kept):
    names = {m.canonical or m.text for m in extract(nlp, "Notes", sentence).mentions}
    assert ("image classification" in names) is kept


@pytest.mark.parametrize(
    "title, abstract, proposed",
    [
        ("Zonal Residual Blocks for Deep Networks", "We present a simple design that stacks blocks.", "Zonal Residual Blocks"),
        ("Zonal Residual Blocks for Deep Networks", "Deep networks stack blocks of layers.", None),  # no proposal cue
        ("Extreme Compression of Neural Images", "We propose a codec for neural images.", None),  # describes a goal
    ],
)
def test_title_cased_leading_phrase_is_the_proposal_of_a_paper_that_proposes(nlp, title, abstract, proposed):
    e = extract(nlp, title, abstract)
    if proposed:
        assert proposed in e.proposals
    else:
        assert not any(p.startswith(title.split()[0]) for p in e.proposals)


def test_operation_phrases_name_methods_but_not_inside_hyphenated_words(nlp):
    e = extract(nlp, "Notes", "We use multi-axis attention and a bi-directional scan. We add one-step-ahead attention.")
    found = typed(e)
    assert ("multi-axis attention", "Method") in found
    assert ("bi-directional scan", "Method") in found
    assert not any(text.startswith("step-ahead") or text.startswith("ahead") for text, _ in found)


def test_a_method_before_a_procedure_noun_or_a_preposition_is_still_a_method(nlp):
    e = extract(nlp, "Notes", "Spacings are learnable via backpropagation thanks to interpolation. Its reflow procedure helps.")
    found = typed(e)
    assert ("backpropagation", "Method") in found and ("reflow", "Method") in found
    kept = extract(nlp, "Notes", "We tune the convolution kernel sizes.")
    assert ("convolution", "Method") not in typed(kept)  # a modifier of "kernel", not the method


def test_new_benchmark_named_after_a_known_dataset_is_a_dataset(nlp):
    e = extract(nlp, "A Benchmark for Shifts", "We propose ImageNet-QX-Z for detection under shift.")
    assert ("ImageNet-QX-Z", "Dataset") in typed(e)


def test_local_acronym_definition_beats_the_vocabularys_reading(nlp):
    # MSD is a dataset in the vocabulary (Medical Segmentation Decathlon); here it is a method.
    e = extract(nlp, "Multi-Student Distillation for Fast Generators",
                "We propose Multi-Student Distillation (MSD), which trains several students. MSD is fast.")
    assert not any(m.type == "Dataset" for m in e.mentions if m.text == "MSD")


def test_known_names_written_without_separators_are_found(nlp):
    e = extract(nlp, "Notes", "We report accuracy of ImageNet1k classification and results on ADE20k with SDXL.")
    canonical = {m.text: (m.type, m.canonical) for m in e.mentions}
    assert canonical["ImageNet1k"] == ("Dataset", "ImageNet-1K")


@pytest.mark.parametrize(
    "abstract, proposed, not_proposed",
    [
        ("We introduce an efficient model we call multi-axis attention.", "multi-axis attention", "axis attention"),
        ("In particular, we introduce a predictor-corrector framework to correct errors.", "predictor-corrector framework", None),
        ("We propose a simplified theoretical framework for sampling.", None, "simplified theoretical framework"),
        ("In this paper, we explore a recent method called Rectified Flow.", None, "Rectified Flow"),
        ("We propose a pipeline to turn Stable Diffusion (SD) into a fast model.", None, "SD"),
    ],
)
def test_proposals_name_what_the_paper_introduces_not_what_it_uses(nlp, abstract, proposed, not_proposed):
    e = extract(nlp, "notes on things", abstract)
    if proposed:
        assert proposed in e.proposals
    if not_proposed:
        assert not_proposed not in e.proposals


def test_model_class_grows_over_one_hyphenated_naming_modifier(nlp):
    e = extract(nlp, "Notes", "We train continuous-time consistency models and powerful diffusion models.")
    found = typed(e)
    assert ("continuous-time consistency models", "Method") in found
    assert ("powerful diffusion models", "Method") not in found


def test_dimension_word_names_another_network_or_operator_but_not_another_task_or_procedure(nlp):
    e = extract(nlp, "Notes", "We stack 3D CNNs with 2D convolutions for pose estimation in 3D pose estimation. "
                "2D diffusion models and 2D pre-training help.")
    found = typed(e)
    assert ("3D CNNs", "Architecture") in found and ("2D convolutions", "Method") in found
    assert ("CNNs", "Architecture") not in found
    assert ("pose estimation", "Task") in found and ("3D pose estimation", "Task") not in found
    assert ("diffusion models", "Method") in found and ("pre-training", "Method") in found


@pytest.mark.parametrize(
    "abstract, name",
    [
        ("Word Sense Disambiguation (WSD) picks the meaning of a word.", "Word Sense Disambiguation"),
        ("We improve Zorbic Entity Linking (ZEL) in tables.", "Zorbic Entity Linking"),
        ("Keyword Spotting (KWS) runs on small devices.", "Keyword Spotting"),
    ],
)
def test_acronym_long_form_ending_in_a_problem_noun_is_a_task(nlp, abstract, name):
    found = typed(extract(nlp, "Notes", abstract))
    assert (name, "Task") in found


def test_a_papers_record_lists_its_own_forms_and_the_standard_ones_only(nlp):
    from kg.export.jsonl import paper_record
    from kg.extract.vocabulary import load_vocabulary
    from kg.resolve import resolve_corpus

    first = extract(nlp, "Notes", "We train convolution neural networks (CNNs) on CIFAR-10.")
    second = extract(nlp, "More notes", "We train a ConvNet on CIFAR-10.")
    corpus = resolve_corpus([first, second], load_vocabulary())
    record = paper_record(corpus.papers[1], corpus)
    aliases = next(e["aliases"] for e in record["entities"] if e["name"] == "convolutional neural networks")
    assert "ConvNet" in aliases and "CNN" in aliases  # its own form, and the standard abbreviation
    assert "convolution neural networks" not in aliases and "CNNs" not in aliases  # the other paper's spellings


def test_title_task_compounds_need_the_abstract_to_write_them(nlp):
    kept = extract(nlp, "On Patch Conditional Image Generation", "We study patch conditional image generation here.")
    assert ("Patch Conditional Image Generation", "Task") in typed(kept)
    cut = extract(nlp, "On Latent Space Image Generation", "We study image generation on big images.")
    assert ("Latent Space Image Generation", "Task") not in typed(cut)
    assert ("Image Generation", "Task") in typed(cut)
    hyphen = extract(nlp, "Notes", "We build Asymmetric Convolution-Attention Networks.")
    assert not any(text == "Asymmetric Convolution" for text, _ in typed(hyphen))


@pytest.mark.parametrize(
    "title, abstract, proposed, not_proposed",
    [
        ("Notes on Mixers", "We further introduce a frequency ramp structure, i.e. more mixers in the bottom layers.",
         "frequency ramp structure", None),
        ("Notes on Mixers", "We propose two simple techniques, namely Self-Conditioning and Token Dropping.", "Self-Conditioning", None),
        ("Notes on Shift", "We introduce three novel OOD detection benchmarks for shift.", None, "OOD"),
        ("Zorp Text Synthesis with Tools", "We translate data. Code: https://github.com/x/Zorp-Text-Synthesis-with-Tools",
         None, "Zorp Text Synthesis"),
        ("Thinking Machines", "The model has two core innovations: (1) neuron-level temporal processing, where each "
         "neuron has weights; and (2) neural synchronization employed as a latent representation.",
         "neuron-level temporal processing", "neural synchronization employed"),
        ("Thinking Machines", "A core innovation is our use of relative move embedding, which encodes shifts.",
         "relative move embedding", None),
    ],
)
def test_proposal_cues_find_the_name_and_only_the_name(nlp, title, abstract, proposed, not_proposed):
    e = extract(nlp, title, abstract)
    if proposed:
        assert proposed in e.proposals
    if not_proposed:
        assert not any(p.startswith(not_proposed) for p in e.proposals)


def test_title_prefix_naming_a_task_solver_is_not_a_task(nlp):
    e = extract(nlp, "ZORP-NeRF: Multi-view 3D Inpainting on Scenes", "We inpaint scenes.")
    assert ("ZORP-NeRF", "Task") not in typed(e)
    assert "ZORP-NeRF" in e.proposals


def test_abbreviations_of_generic_words_and_concepts_are_not_entities(nlp):
    e = extract(nlp, "Notes", "Deep neural networks (DNNs) need large receptive fields (RF) to compete with visual transformers.")
    found = typed(e)
    assert not any(text.lower().startswith(("deep neural", "dnn", "receptive", "rf")) for text, _ in found)
    assert ("visual transformers", "Architecture") in found


def test_an_activity_and_its_object_name_a_known_task(nlp):
    e = extract(nlp, "Notes", "We present a method for detecting objects in images. Our model learns by generating latent pose codes.")
    names = {(m.canonical or m.text, m.type) for m in e.mentions}
    assert ("object detection", "Task") in names
    assert ("code generation", "Task") not in names  # the object's head is "codes" of poses, no task


def test_proposal_verbs_in_every_form_and_dimension_words(nlp):
    e = extract(nlp, "Notes", "We advance compact image representation by introducing 1D binary image latents.")
    assert e.proposals == ("1D binary image latents",)


def test_describing_compounds_stay_whole_and_alone_name_nothing(nlp):
    e = extract(nlp, "Notes", "We build a large-scale dataset. We also propose a high-quality music-video dataset.")
    assert e.proposals == ("high-quality music-video dataset",)


def test_task_in_modifier_form_grows_no_compound(nlp):
    e = extract(nlp, "Notes", "It supports diffusion-based text-to-image face generation with a pretrained text-to-image model.")
    names = {m.text for m in e.mentions if m.type == "Task"}
    assert "diffusion-based text-to-image" not in names and "pretrained text-to-image" not in names
    assert "face generation" in names


def test_title_prefix_that_boosts_a_metric_is_a_method(nlp):
    e = extract(nlp, "DiffEditor: Boosting Accuracy and Flexibility on Image Editing", "We present DiffEditor.")
    assert ("DiffEditor", "Method") in typed(e)


def test_a_verb_before_a_task_is_no_modifier(nlp):
    e = extract(nlp, "Notes", "We democratise 3D content creation. We aim to bolster image classification. "
                "It applies to video representation learning.")
    names = {m.text for m in e.mentions if m.type == "Task"}
    assert not any(name.startswith(("democratise", "bolster")) for name in names)
    assert "image classification" in names and "video representation learning" in names


def test_title_starting_with_an_activity_names_no_proposal(nlp):
    e = extract(nlp, "Learning Group Activity Features Through Person Attribute Prediction",
                "We propose to learn group activity features from person attributes.")
    assert "Learning Group Activity Features" not in e.proposals


def test_a_technique_in_lower_case_obtains_no_number(nlp):
    e = extract(nlp, "FooNet: Fast Detection", "We propose FooNet. Our pre-training pipeline achieves 73.2 mAP on COCO.")
    assert [(r.subject, r.metric, r.value) for r in e.results] == [("FooNet", "mAP", Decimal("73.2"))]


def test_describing_words_in_compounds(nlp):
    e = extract(nlp, "Notes", "We study full-spectrum OOD detection and tasks like object detection, "
                "and high-fidelity scene reconstruction.")
    names = {m.text for m in e.mentions if m.type == "Task"}
    assert "full-spectrum OOD detection" in names  # a describing word can start a naming compound
    assert "object detection" in names and "like object detection" not in names
    assert "scene reconstruction" in names and "high-fidelity scene reconstruction" not in names


def test_a_phase_is_no_metric(nlp):
    e = extract(nlp, "Notes", "At inference time the model drops tokens. Its inference time is 20 ms per image.")
    weak = [m for m in e.mentions if m.type == "Metric" and m.canonical == "inference time" and m.confidence < 0.4]
    strong = [m for m in e.mentions if m.type == "Metric" and m.canonical == "inference time" and m.confidence >= 0.4]
    assert len(weak) == 1 and weak[0].start < 20 and len(strong) == 1


def test_sensors_and_modalities_are_no_entities(nlp):
    e = extract(nlp, "LiDAR-based Person Re-identification",
                "Light Detection and Ranging (LiDAR) scans and vision-language (VL) models help. We use MRI and IMU data.")
    names = {m.text for m in e.mentions}
    assert not names & {"LiDAR", "Light Detection and Ranging", "vision-language", "VL", "MRI", "IMU"}


def test_denoising_as_a_models_step_is_a_method(nlp):
    e = extract(nlp, "Notes", "During the denoising process, noise is predicted by the denoising U-Net. "
                "It also handles deraining and denoising.")
    found = [(m.text, m.type) for m in e.mentions if m.text == "denoising"]
    assert found == [("denoising", "Method"), ("denoising", "Task")]


def test_bracketed_proposal_name_keeps_its_hyphenated_parts(nlp):
    e = extract(nlp, "Notes", "To enhance retrieval, we propose the Class-Knowledge-Task Multi-Head Attention (CKT-MHA).")
    assert e.proposals == ("CKT-MHA",)


def test_letters_and_slashed_words_are_no_modifiers(nlp):
    e = extract(nlp, "Notes", "We add 10.5K temporal grounding labels. Instead of more data and/or scaling, "
                "we study sparse-view X-ray reconstruction.")
    names = {m.text for m in e.mentions}
    assert "K temporal grounding" not in names and "data and/or scaling" not in names


def test_acronym_typed_by_its_long_forms_head(nlp):
    e = extract(nlp, "Notes", "We build a Low-light Multi-Object Tracking (LMOT) dataset. We study individualized "
                "scanpath prediction (ISP), a new task.")
    assert ("LMOT", "Dataset") in typed(e)
    assert ("ISP", "Task") in typed(e)


def test_title_phrase_limits_count_words_and_task_heads_name_no_proposal(nlp):
    e = extract(nlp, "Adaptive Multi-Modal Cross-Entropy Loss for Stereo Matching",
                "In this paper, a new loss is proposed. We propose to weight each pixel.")
    assert e.proposals == ("Adaptive Multi-Modal Cross-Entropy Loss",)
    e = extract(nlp, "Tri-Modal Motion Retrieval by Learning a Joint Embedding Space",
                "We propose LAVIMO, a framework for motion retrieval.")
    assert e.proposals == ("LAVIMO",)


def test_generic_words_the_title_repeats_name_no_proposal(nlp):
    e = extract(nlp, "LSUN: Construction of a Large-scale Image Dataset", "We construct a large-scale image dataset.")
    assert "image dataset" not in e.proposals and "Image Dataset" not in {m.text for m in e.mentions}


@pytest.mark.parametrize(
    "sentence, weak",
    [
        ("Existing methods require long training times.", True),  # a cost named without a figure describes
        ("Training time drops to 5 hours with 40M parameters.", False),
        ("It works at a manageable computational cost.", True),
        ("Large models are needed to optimize millions of parameters.", True),
        ("It stores reduced precision weights.", True),
        ("It has (1) neuron-level processing, where each neuron uses weight parameters.", True),  # (1) is no figure
        # a cost compared is what the work is judged by, figure or not
        ("It matches convolutions with fewer trainable parameters and lower memory footprint.", False),
        ("It grows the receptive field without increasing the number of parameters.", False),
        ("It runs at lower computational cost.", False),
    ],
)
def test_cost_metrics_without_a_figure_are_weak(nlp, sentence, weak):
    e = extract(nlp, "Notes", sentence)
    costs = [m for m in e.mentions if m.type == "Metric"]
    assert costs and all((m.confidence < 0.4) is weak for m in costs)


def test_title_names_the_task_it_is_for(nlp):
    e = extract(nlp, "Towards Realistic Ultrasound Fetal Brain Imaging Synthesis", "We study images.")
    assert ("Ultrasound Fetal Brain Imaging Synthesis", "Task") in typed(e)
    e = extract(nlp, "FooNet for Efficient Text-to-Image Generation", "We propose FooNet.")
    names = {m.text for m in e.mentions if m.type == "Task"}
    assert "Text-to-Image Generation" in names and "Efficient Text-to-Image Generation" not in names


@pytest.mark.parametrize(("title", "method"), [
    ("Token Fusion with One-step-ahead Attention for Efficient Transformers", "One-step-ahead Attention"),
    ("A Visual Encoder with Causal Sequential Processing", "Causal Sequential Processing"),
    ("Prompt Learning via Meta-Regularization and Correlation Matching", "Correlation Matching"),
])
def test_title_names_the_technique_the_work_is_done_with(nlp, title, method):
    assert (method, "Method") in typed(extract(nlp, title, "We study images."))


def test_the_items_of_a_list_of_tasks_are_tasks(nlp):
    e = extract(nlp, "Notes", "We show strong results across tasks, including ImageNet-1K classification, "
                "solving 2D mazes, sorting, parity computation, and RL tasks. It fits prediction tasks "
                "(e.g. forest cover, house price, road length).")
    tasks = {m.text for m in e.mentions if m.type == "Task"}
    assert {"sorting", "parity computation", "forest cover", "house price", "road length"} <= tasks
    assert "solving 2D mazes" not in tasks


@pytest.mark.parametrize(("title", "abstract", "cue"), [
    # Title phrases after "with/via/using" that describe, or name no technique.
    ("Rethinking Generalization with A General Learning Objective", "We study images.", "title-means"),
    ("Fast Reconstruction with Zero Pretraining", "We study images.", "title-means"),
    ("Construction of a Dataset using Deep Learning with Humans in the Loop", "We study images.", "title-means"),
    ("Defending Against Attacks with Camera Image Pipelines", "We study images.", "title-means"),
    # Lists after "tasks" that hold clauses, data, adjectives or generic heads.
    ("Notes", "It helps vision tasks, such as action recognition, thanks to its power efficiency and low cost.",
     "listed-task"),
    ("Notes", "It fits tasks like ImageNet, unexpected failure modes and more.", "listed-task"),
    ("Notes", "It serves tasks such as panoptic, semantic and instance segmentation, and feature extraction methods.",
     "listed-task"),
    ("Notes", "It supports tasks like few-shot, image-level and robotic images.", "listed-task"),
])
def test_phrases_that_name_nothing_give_no_mention_by_that_rule(nlp, title, abstract, cue):
    assert not [m.text for m in extract(nlp, title, abstract).mentions if m.cue == cue]


def test_a_lowercase_x_based_modifier_names_no_entity_of_its_own(nlp):
    names = {m.canonical or m.text for m in extract(nlp, "Notes", "We add a transformer-based decoder and "
                                                     "CLIP-based scoring.").mentions if m.confidence >= MIN_CONFIDENCE}
    assert "Transformer" not in names and "CLIP" in names
    names = {m.canonical or m.text for m in extract(nlp, "Notes", "A transformer-based decoder beats the "
                                                     "transformer.").mentions if m.confidence >= MIN_CONFIDENCE}
    assert "Transformer" in names


@pytest.mark.parametrize(("title", "abstract", "proposed"), [
    ("Rotate to Attend: Convolutional Triplet Attention Module",
     "In this paper, we investigate attention mechanisms and present triplet attention, a novel method.",
     "triplet attention"),
    ("Deep Representations", "Our proposed network, named as High-Resolution Network (HRNet), keeps detail.",
     "High-Resolution Network"),
    ("Histopathology", "We propose a new network, namely KimiaNet, that uses dense blocks.", "KimiaNet"),
    ("Representation Learning", "Our approach, BigBiGAN, builds upon the BigGAN model.", "BigBiGAN"),
])
def test_more_ways_a_paper_names_what_it_proposes(nlp, title, abstract, proposed):
    assert proposed in extract(nlp, title, abstract).proposals


@pytest.mark.parametrize("abstract", [
    "We evaluate on three datasets, namely CIFAR-10, SVHN and STL-10.",
    "We revisit hybrid architectures and propose a simple and effective asymmetric architecture.",
    "We make an attempt and present a novel unified VS architecture, namely UniVS, for videos.",
])
def test_listed_and_described_things_are_no_proposals(nlp, abstract):
    proposals = extract(nlp, "Notes", abstract).proposals
    assert not {"CIFAR-10", "asymmetric architecture", "VS architecture"} & set(proposals)


@pytest.mark.parametrize(("abstract", "expected"), [
    ("GC ViT models with 51M, 90M and 201M parameters achieve 84.3%, 84.9% and 85.6% Top-1 accuracy, respectively.",
     {("parameters", Decimal("51")), ("parameters", Decimal("90")), ("parameters", Decimal("201")),
      ("Top-1 accuracy", Decimal("84.3")), ("Top-1 accuracy", Decimal("84.9")), ("Top-1 accuracy", Decimal("85.6"))}),
    ("It reaches the top-5 accuracy of 97.18, 62.4 mAP on COCO, 80.36 on VQA, and 87.8 on Kinetics-600.",
     {("top-5 accuracy", Decimal("97.18")), ("mAP", Decimal("62.4"))}),
    ("It improves FID from 9.67 to 8.19 and FVD from 484 to 441.",
     {("FID", Decimal("9.67")), ("FID", Decimal("8.19")), ("FVD", Decimal("484")), ("FVD", Decimal("441"))}),
    ("It matches the accuracy of MAE in 16.4x lower pre-training time and runs up to 1.53x speed-up.",
     {("pre-training time", Decimal("16.4")), ("speed-up", Decimal("1.53"))}),
    ("It reaches 63.2% accuracy under IPC (Images Per Class) 50 and 84.9% accuracy with only 49 tokens on an iPhone 12.",
     {("accuracy", Decimal("63.2")), ("accuracy", Decimal("84.9"))}),
])
def test_each_value_takes_the_metric_written_for_it(nlp, abstract, expected):
    results = extract(nlp, "Notes", abstract).results
    assert {(r.metric, r.value) for r in results if r.metric is not None} == expected


def test_no_plural_of_a_letter_no_ml_datasets_no_known_methods(nlp):
    e = extract(nlp, "A Downsampled Variant of ImageNet as an Alternative", "Against a well known reinforcement "
                "learning algorithm, evolution wins on machine learning (ML) datasets.")
    names = {m.text for m in e.mentions}
    assert "ImageNet as" not in names and "ImageNet" in names  # "ImageNet As" is no plural of ImageNet-A
    assert "ML" not in names and "known reinforcement learning" not in names


@pytest.mark.parametrize(("abstract", "name", "entity_type"), [
    ("Here, we propose Occupancy Networks for Semantic Segmentation (OSS-Nets) to segment data.",
     "Occupancy Networks for Semantic Segmentation", "Architecture"),
    ("Later, we present the Vision Transformer in Convolution (TiC) as a proof of concept for image classification.",
     "Vision Transformer in Convolution", "Architecture"),
])
def test_a_name_for_a_task_is_not_the_task(nlp, abstract, name, entity_type):
    assert (name, entity_type) in typed(extract(nlp, "Notes", abstract))


def test_a_part_named_twice_is_a_technique_and_once_a_description(nlp):
    e = extract(nlp, "Notes", "We add a prototype layer to the network. The prototype layer stores vectors. "
                "A linear layer follows.")
    methods = {m.text for m in e.mentions if m.type == "Method"}
    assert "prototype layer" in methods and "linear layer" not in methods


def test_a_kind_is_no_modifier_of_a_method(nlp):
    e = extract(nlp, "Notes", "We simplify the base method ensemble knowledge distillation via discriminators.")
    assert "method ensemble knowledge distillation" not in {m.text for m in e.mentions}


def test_the_items_of_a_list_of_methods_models_or_datasets_are_typed_by_the_list(nlp):
    e = extract(nlp, "Notes", "It outperforms top methods such as DINO and PAWS. We survey visualization methods, "
                "including Activation Maximization, Network Inversion and Network Dissection. We test on three "
                "benchmark datasets, including Panoptic, Shelf, and Campus.")
    found = typed(e)
    assert {("PAWS", "Method"), ("Network Inversion", "Method"), ("Network Dissection", "Method"),
            ("Shelf", "Dataset"), ("Campus", "Dataset")} <= found


def test_a_version_belongs_to_its_name_and_a_lowercase_name_can_obtain_a_result(nlp):
    e = extract(nlp, "Efficient Self-supervised Learning with Contextualized Targets",
                "Experiments show that data2vec 2.0 matches MAE in 16.4x lower pre-training time. "
                "ResNet-50 2.5 % better.")
    names = {m.text for m in e.mentions}
    assert "data2vec 2.0" in names and "ResNet-50 2.5" not in names
    assert [r.subject for r in e.results if r.value == Decimal("16.4")] == ["data2vec 2.0"]


def test_citations_are_no_values_and_a_bracketed_gain_over_a_model_is_the_papers(nlp):
    e = extract(nlp, "MixConv: Mixed Depthwise Convolutional Kernels", "We develop a new family of models, named "
                "as MixNets, which outperform mobile models including MobileNetV2 [20] (ImageNet top-1 accuracy +4.2%). "
                "We increase the accuracy of ResNet-18 on ImageNet by 1.31% points.")
    values = {r.value: r for r in e.results}
    assert Decimal("20") not in values and values[Decimal("4.2")].subject != "MobileNetV2"
    assert values[Decimal("1.31")].metric.endswith("accuracy")  # percentage points are no count


def test_idioms_verb_phrase_titles_and_input_qualities_name_nothing(nlp):
    e = extract(nlp, "Designing BERT for Convolutional Networks: Sparse Masked Modeling",
                "Attention maps have received considerable attention. Models upscale low-resolution (LR) inputs "
                "with CNN-based single image super-resolution, classified by an ImageNet or MIT Places network.")
    names = {m.text for m in e.mentions}
    assert "Designing BERT for Convolutional Networks" not in names and not e.proposals[:1] == ("Designing BERT",)
    assert not {"considerable attention", "received considerable attention", "low-resolution", "LR", "MIT"} & names
    assert "based single image super-resolution" not in names and "MIT Places" in names


def test_size_and_numbered_variants_are_models(nlp):
    e = extract(nlp, "Dual Path Networks", "We present Dual Path Networks (DPN). A deeper DPN-131 beats it, with "
                "FID scores of 1.78 for SiT-XL.")
    assert {("DPN-131", "Architecture"), ("SiT-XL", "Architecture")} <= typed(e)


def test_list_items_after_namely_and_with_what_they_are_for(nlp):
    e = extract(nlp, "Notes", "We use two datasets: ImageNet1K for image classification and SHIFT for semantic "
                "segmentation. It boosts four SOTA Mamba models, namely VMamba, LocalVim, PlainMamba and Adventurer.")
    assert {("SHIFT", "Dataset"), ("Adventurer", "Architecture"), ("LocalVim", "Architecture")} <= typed(e)


def test_a_name_the_paper_calls_its_own_is_proposed(nlp):
    e = extract(nlp, "Notes", "In particular, our MixNet-L achieves 78.9% top-1 accuracy. Our base and large-scale "
                "ShuffleMamba models outperform ViTs. Our DCM dataset and our ResNet-50 baseline help.")
    assert {"MixNet-L", "ShuffleMamba", "DCM"} <= set(e.proposals)
    assert "ResNet-50" not in e.proposals and "DCM dataset" not in e.proposals


def test_a_name_set_beside_its_description_is_proposed(nlp):
    e = extract(nlp, "Notes", "We design a family of ResNet architectures, ResNet-RS, which are faster. We propose two "
                "efficient approximations to standard networks: Binary-Weight-Networks and XNOR-Networks.")
    assert {"ResNet-RS", "Binary-Weight-Networks", "XNOR-Networks"} <= set(e.proposals)


def test_list_item_numbers_are_no_results_but_a_bracketed_last_value_is(nlp):
    e = extract(nlp, "Notes", "Two principles matter: 1) the number of parameters should scale slowly, and 2) the "
                "kernel decays. MMM reaches superior FID scores of 0.08 and 0.429) on KIT-ML.")
    assert {r.value for r in e.results} == {Decimal("0.08"), Decimal("0.429")}


def test_a_lowercase_chain_glued_to_a_model_class_names_a_model(nlp):
    e = extract(nlp, "Notes", "We train diffusion-super-resolution-GAN and transformer-based-GAN, and a super-resolution GAN.")
    found = typed(e)
    assert {("diffusion-super-resolution-GAN", "Architecture"), ("transformer-based-GAN", "Architecture")} <= found
    assert ("resolution-GAN", "Architecture") not in found


@pytest.mark.parametrize(("abstract", "expected"), [
    ("It achieves 76.1%, 78.9%, and 70.6% mIoU on ScanNet v2, nuScenes, and SemanticKITTI validation benchmarks "
     "respectively, while being 5x faster.",
     {(Decimal("76.1"), "mIoU", "ScanNet v2"), (Decimal("78.9"), "mIoU", "nuScenes"),
      (Decimal("70.6"), "mIoU", "SemanticKITTI")}),
    ("We get 4.76 +- 0.43 and 46.401 on Inception Score and FID, respectively.",
     {(Decimal("4.76"), "Inception Score", None), (Decimal("46.401"), "FID", None)}),
    ("It improves by +4.19% and +7.71% mIoU on S3DIS and ScanNet datasets respectively, while reducing training "
     "time by 90%.",
     {(Decimal("4.19"), "mIoU", "S3DIS"), (Decimal("7.71"), "mIoU", "ScanNet")}),  # not "7.71 training time"
])
def test_respectively_pairs_each_list_of_values_with_the_names_after_it(nlp, abstract, expected):
    results = extract(nlp, "Notes", abstract).results
    found = {(r.value, r.metric, r.dataset) for r in results}
    assert expected <= found and not {f for f in found if f[0] in {e[0] for e in expected}} - expected


def test_a_value_compared_against_is_not_the_papers(nlp):
    e = extract(nlp, "HUNTER: Unsupervised Human-centric 3D Detection", "We propose HUNTER. It closely approaches "
                "fully supervised methods (62.15 mAP vs. 69.02 mAP) on HuCenLife. It has an FID of 0.045 (vs e.g. "
                "0.141 of T2M-GPT).")
    subjects = {r.value: r.subject for r in e.results}
    assert subjects[Decimal("62.15")] == "HUNTER" and subjects[Decimal("69.02")] is None
    assert subjects[Decimal("0.141")] == "T2M-GPT"


def test_a_bracketed_value_is_measured_on_the_dataset_before_the_bracket(nlp):
    e = extract(nlp, "Notes", "SegAD achieves state-of-the-art results on both MVTec AD (+2.1% AUROC) and the "
                "VisA dataset (+0.4% AUROC).")
    assert {(r.value, r.dataset) for r in e.results} == {(Decimal("2.1"), "MVTec AD"), (Decimal("0.4"), "VisA")}


def test_a_value_achieved_by_a_model_named_after_it_is_that_models(nlp):
    e = extract(nlp, "Notes", "On HallusionBench, we benchmarked 15 models, highlighting a 31.42% question-pair "
                "accuracy achieved by the state-of-the-art GPT-4V.")
    assert [r.subject for r in e.results] == ["GPT-4V"]
    e = extract(nlp, "CAT", "We propose CAT. We attained a 52.5 mAP, a substantial improvement over the 51.2 mAP "
                "achieved by the state-of-the-art method, against 11 adapted baselines and 7 model structures.")
    assert {r.value: r.subject for r in e.results} == {Decimal("52.5"): "CAT", Decimal("51.2"): None}


@pytest.mark.parametrize(("abstract", "expected"), [
    # a value after a name is no version of it
    ("It surpasses Swin-T 1.2 AP on COCO and DeiT-S 2.1 mIoU on ADE20K.",
     {(Decimal("1.2"), "AP"), (Decimal("2.1"), "mIoU")}),
    # a header's own range keeps its metric; a list of values ends at a comma
    ("It raises top-1 accuracy from 60.3% to 73.2% for a similar model size.",
     {(Decimal("60.3"), "top-1 accuracy"), (Decimal("73.2"), "top-1 accuracy")}),
    ("It lowers Frechet Inception Distance (FID) from 18.65 to 1.80, inception score (IS) rises.",
     {(Decimal("18.65"), "FID"), (Decimal("1.80"), "FID")}),
    # an expansion in brackets is no label; two-digit numbers and cited lists are handled
    ("It reaches Average Precision (AP) 45.1 on COCO.", {(Decimal("45.1"), "AP")}),
    ("It beats MobileNetV2 [20, 21] with a FID of 12 on CIFAR-10.", {(Decimal("12"), "FID")}),
])
def test_values_keep_their_metrics_after_names_ranges_and_brackets(nlp, abstract, expected):
    assert {(r.value, r.metric) for r in extract(nlp, "Notes", abstract).results} == expected


def test_subjects_are_the_papers_or_named_models_not_techniques(nlp):
    e = extract(nlp, "Diffusion Models Beat GANs on Image Synthesis", "Diffusion models reach an FID of 2.97 "
                "on ImageNet. The 85.1% accuracy achieved by our method is high.")
    assert {r.value: r.subject for r in e.results} == {Decimal("2.97"): None, Decimal("85.1"): None}


def test_titles_lists_and_namely_make_no_false_mentions(nlp):
    e = extract(nlp, "Towards Fairer Datasets: Filtering and Balancing the Distribution",
                "We evaluate on three datasets, namely FooSet, BarSet and BazSet.")
    assert "Filtering" not in {m.text for m in e.mentions}
    assert not e.proposals and ("BarSet", "Dataset") in typed(e)
    e = extract(nlp, "Restoring Images with Noisy Priors for Denoising and Spectral Band Fusion", "We study images.")
    assert not [m for m in e.mentions if m.cue == "title-means"]


def test_a_title_describing_a_dataset_types_its_name_and_x_free_names_nothing(nlp):
    e = extract(nlp, "MVHumanNet: A Large-scale Dataset of Multi-view Daily Dressing Human Captures",
                "Models trained on MVHumanNet improve. A COLMAP-free pipeline avoids "
                "inaccurate motion estimation.")
    assert {m.type for m in e.mentions if m.text == "MVHumanNet"} == {"Dataset"}
    assert "inaccurate motion estimation" not in {m.text for m in e.mentions}
    assert all(m.confidence < MIN_CONFIDENCE for m in e.mentions if m.text == "COLMAP")


def test_review_fixes_for_parts_kinds_and_coordinated_verbs(nlp):
    e = extract(nlp, "Notes", "We add a feature aggregation module. The feature aggregation module fuses features. "
                "Results on our KPA benchmark are strong. In this paper, we study attention and subsequently "
                "present TripletNet for images.")
    methods = [m.text for m in e.mentions if m.type == "Method"]
    assert "feature aggregation module" in methods and "feature aggregation" not in methods
    assert ("KPA", "Dataset") in typed(e) and "TripletNet" in e.proposals
    e = extract(nlp, "Notes", "Then 1.58-bit quantization aware training reaches 72.1% accuracy on ImageNet.")
    assert [r.subject for r in e.results] == [None]  # a technique, though it starts with a figure


def test_a_capital_s_is_no_plural_and_image_kinds_are_no_entities(nlp):
    e = extract(nlp, "Notes", "We propose Iterative 3D Synchronization (I3DS). I3DS beats SDS on Whole Slide Image (WSI) data.")
    names = {m.canonical or m.text for m in e.mentions}
    assert "I3D" not in names  # I3DS is not the I3D network in the plural
    assert "Whole Slide Image" not in names and "WSI" not in names


def test_bare_detection_in_a_paper_on_another_detection_task(nlp):
    e = extract(nlp, "Notes", "We study deepfake detection. Our detection performance is high.")
    assert "object detection" not in {m.canonical or m.text for m in e.mentions}
    e = extract(nlp, "Notes", "Our detection performance on COCO is high.")
    assert "object detection" in {m.canonical or m.text for m in e.mentions}
    e = extract(nlp, "Notes", "We study semantic segmentation. Many segmentation problems remain.")
    assert "segmentation" not in {m.canonical or m.text for m in e.mentions}
    e = extract(nlp, "Notes", "We study segmentation and detection.")
    assert "segmentation" in {m.canonical or m.text for m in e.mentions}


def test_a_spaced_dash_ends_a_name(nlp):
    e = extract(nlp, "Notes", "We propose ACEv2 - an efficient quantizer - and Multi-Scale Fusion.")
    assert "ACEv2" in e.proposals and not any(p.startswith("ACEv2 -") for p in e.proposals)


def test_an_adjective_and_a_kind_describe_and_the_name_after_them_is_proposed(nlp):
    e = extract(nlp, "Notes", "We introduce a novel Bayesian approach to robustness. "
                "We develop a ranking algorithm, Generalized Weighted Page Rank, to find tokens.")
    assert e.proposals == ("Generalized Weighted Page Rank",)
