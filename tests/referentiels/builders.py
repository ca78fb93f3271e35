"""A small hand-written référentiel, independent of the parsers, for database and view tests."""

from __future__ import annotations

from attesta.referentiels.importers import canonical as c


def small_referentiel(
    *, code: str = "TP-99999", version: str = "01", extra_criterion: str | None = None
) -> c.Referentiel:
    criteria = [
        c.Criterion(text="La veille est organisée", group="Qualité de la veille"),
        c.Criterion(text="Les sources sont fiables", group="Qualité de la veille"),
    ]
    if extra_criterion:
        criteria.append(c.Criterion(text=extra_criterion))
    return c.Referentiel(
        code=code,
        title="Vendeur conseil d'essai",
        kind=c.Kind.TITRE_PROFESSIONNEL,
        acronym="VCE",
        level=4,
        version=version,
        valid_from="2024-01-31",
        nsf_codes=[c.CodeLabel(code="312t", label="Négociation et vente")],
        rome_codes=[c.CodeLabel(code="D1403")],
        blocks=[
            c.Block(
                code="CCP1",
                title="Prospecter un secteur",
                competencies=[
                    c.Competency(
                        code="CP1",
                        title="Assurer une veille commerciale",
                        description="Rechercher l'information.",
                        context="En agence.",
                        criteria=criteria,
                        savoir_faire=["Utiliser un outil de veille"],
                        savoirs=["Sources d'information"],
                    ),
                    c.Competency(
                        code="CP2",
                        title="Élaborer un plan d’actions",
                        criteria=[c.Criterion(text="Le plan est réaliste", code="CR1.2.1")],
                    ),
                ],
            ),
            c.Block(
                code="CCP2",
                title="Vendre",
                competencies=[
                    c.Competency(
                        code="CP3",
                        title="Conduire un entretien de vente",
                        criteria=[c.Criterion(text="L'argumentation est adaptée")],
                    )
                ],
            ),
            c.Block(
                code="CCS1",
                title="Vendre en ligne",
                extension=True,
                competencies=[
                    c.Competency(
                        code="CP4",
                        title="Animer une boutique en ligne",
                        criteria=[c.Criterion(text="La boutique est à jour")],
                    )
                ],
            ),
        ],
        transversal_competencies=[
            c.TransversalCompetency(
                code="CT1",
                title="Communiquer",
                criteria=[c.Criterion(text="Le registre est adapté")],
                assessed_through=["CP3", "CP1"],
            )
        ],
        exams=[
            c.Exam(
                scope="certification",
                methods=[
                    c.AssessmentMethod(
                        kind=c.MethodKind.PROFESSIONAL_SITUATION,
                        title="Mise en situation professionnelle",
                        duration_minutes=60,
                        competencies=["CP3", "CP1"],
                        organisation="Le candidat tient un stand.",
                        requires_supervision=True,
                    ),
                    c.AssessmentMethod(
                        kind=c.MethodKind.FINAL_INTERVIEW,
                        title="Entretien final",
                        duration_minutes=10,
                    ),
                ],
                total_minutes=70,
                jury_minutes=40,
                company_period=c.CompanyPeriod(amount=140, unit=c.PeriodUnit.HOURS),
                productions=[
                    c.Production(
                        title="Diaporama",
                        kind=c.ProductionKind.SLIDESHOW,
                        min_units=24,
                        max_units=34,
                    ),
                    c.Production(title="Fiche produit", kind=c.ProductionKind.DOCUMENT, quantity=5),
                ],
                jury=c.Jury(members=2, profiles=["Représentant du certificateur"], notes="Binôme"),
                requirements=["Dossier professionnel"],
            ),
            c.Exam(
                scope="CCP1",
                methods=[
                    c.AssessmentMethod(
                        kind=c.MethodKind.TECHNICAL_INTERVIEW,
                        title="Entretien technique",
                        duration_minutes=30,
                        competencies=["CP1"],
                        code="E1",
                    )
                ],
                total_minutes=30,
                jury_minutes=30,
            ),
        ],
        correspondences=[
            c.Correspondence(
                old_code="CCP1",
                old_title="Prospecter",
                new_code="CCP1",
                new_title="Prospecter un secteur",
            )
        ],
        warnings=[
            c.ImportWarning(
                code=c.WarningCode.UNASSESSED_COMPETENCY,
                message="CCP1 : la compétence CP2 n'est évaluée par aucune modalité",
                line=42,
            )
        ],
        source_format="ministry",
    )
