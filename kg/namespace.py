"""The kg ontology's terms as Python names, and the IRIs kg mints under.

``KGO`` is a closed rdflib namespace: every class and property declared in
``ontology/kg.ttl`` is an attribute, and a name that is not declared there
raises ``AttributeError`` instead of quietly minting a new IRI.
``tests/test_namespace.py`` keeps the two equal.

>>> KGO.Paper
rdflib.term.URIRef('https://w3id.org/kg-ml/ontology#Paper')
>>> KGO.Papr
Traceback (most recent call last):
    ...
AttributeError: term 'Papr' not in namespace 'https://w3id.org/kg-ml/ontology#'
>>> ID_BASE + "paper/000-001"
'https://w3id.org/kg-ml/id/paper/000-001'
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["KGO", "ONTOLOGY_IRI", "ID_BASE", "SHAPES"]

#: The IRI of the ontology document itself (``ontology/kg.ttl``).
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-ml/ontology")

#: Base of every instance IRI kg mints (papers, entities, results, mentions);
#: instance data never lives in the ontology's namespace.
ID_BASE = "https://w3id.org/kg-ml/id/"

#: Namespace of the SHACL shapes in ``ontology/shapes.ttl``.
SHAPES = Namespace("https://w3id.org/kg-ml/shapes#")


class KGO(DefinedNamespace):
    """
    kg ontology: papers, the ML entities they name, and the results they report

    Papers are linked to the Methods, Architectures, Datasets, Metrics and
    Tasks that their title or abstract names, to those they introduce, and to
    the numbers they report. Each naming is also kept as a Mention with its
    evidence sentence and extraction cue. Aligned with W3C ML Schema, FaBiO,
    schema.org, SKOS, PROV-O and Dublin Core terms.

    Generated from: ontology/kg.ttl (https://w3id.org/kg-ml/ontology)
    """

    _fail = True

    # http://www.w3.org/2002/07/owl#Class
    Paper: URIRef  # A research paper as listed by a paper feed (fabio:ResearchPaper, schema:ScholarlyArticle).
    Entity: URIRef  # Abstract: a Method, Architecture, Dataset, Metric or Task (skos:Concept).
    Method: URIRef  # A technique, algorithm, procedure, loss or generative-model family (mls:Algorithm).
    Architecture: URIRef  # A named network architecture, backbone or (pre)trained model (see also mls:Model).
    Dataset: URIRef  # A named dataset, benchmark or data collection (mls:Dataset, schema:Dataset).
    Metric: URIRef  # A measure that results are reported in (mls:EvaluationMeasure).
    Task: URIRef  # The problem a paper addresses or evaluates on (mls:Task).
    Result: URIRef  # One number a paper reports for a metric (mls:ModelEvaluation, prov:Entity).
    Mention: URIRef  # One paper naming one entity, with its evidence sentence (prov:Entity).

    # http://www.w3.org/2002/07/owl#ObjectProperty
    mentions: URIRef  # Paper -> Entity: the title or abstract names the entity (schema:mentions).
    proposes: URIRef  # Paper -> Entity: the paper introduces the entity (sub-property of mentions).
    hasMention: URIRef  # Paper -> Mention.
    mentionOf: URIRef  # Mention -> Entity: the entity the mention names; exactly one.
    reportsResult: URIRef  # Paper -> Result.
    metric: URIRef  # Result -> Metric (mls:specifiedBy); at most one.
    dataset: URIRef  # Result -> Dataset; at most one, absent when none is stated.
    subject: URIRef  # Result -> Entity: the method or model that obtains the number; at most one.
    variantOf: URIRef  # Entity -> Entity: a size or resolution variant to its family (skos:broader).
    codeRepository: URIRef  # Paper -> IRI of its code repository (schema:codeRepository).

    # http://www.w3.org/2002/07/owl#DatatypeProperty
    value: URIRef  # Result -> xsd:decimal: the number without its unit (mls:hasValue).
    unit: URIRef  # Result -> xsd:string: "%", "x", "ms", "FPS", ... (schema:unitText).
    relative: URIRef  # Result -> xsd:boolean: a gain over a baseline, not an absolute score.
    evidence: URIRef  # Mention or Result -> xsd:string: the sentence it was read from.
    cue: URIRef  # Mention -> xsd:string: the extraction cue, e.g. "vocabulary", "acronym".
    confidence: URIRef  # Mention or Result -> xsd:decimal in [0, 1].
    source: URIRef  # Paper -> xsd:string: "file:line" of an input it was read from; repeatable.
    paperId: URIRef  # Paper -> xsd:string: "000-001" (dcterms:identifier).

    _NS = Namespace("https://w3id.org/kg-ml/ontology#")
