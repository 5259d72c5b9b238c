"""The example release of the Ministry of Home Affairs (MAINT), as a press officer types it."""

TITLE_FR = 'Léon Gloden à la réunion informelle du Conseil "Justice et Affaires intérieures" (JAI)'
BODY_FR = [
    "À la suite d'une présentation de la Présidence belge et de la Commission européenne au sujet de la migration "
    "et de l'asile dans l'Union européenne, les ministres ont eu une discussion sur une approche coordonnée à suivre "
    "concernant la mise en œuvre continue de la protection temporaire pour les personnes ayant fui l'Ukraine suite à "
    "l'agression russe en février 2022. Le ministre Gloden a explicitement soutenu la prolongation de la protection "
    "temporaire au-delà de mars 2025. Ensuite les ministres ont discuté d'alternatives qui faciliteraient l'accès à "
    "d'autres titres de séjour, par exemple pour les personnes qui ont intégré le marché de travail.",
    "L'intelligence artificielle et son utilisation par les criminels a été discutée dans le cadre d'un déjeuner de "
    "travail. Les ministres ont fait part de leurs expériences nationales quant à l'emploi abusif des outils "
    "disponibles dans ce domaine. La problématique des deepfakes et de leur utilisation à des fins de "
    "désinformation du public dans un contexte électoral a également été soulevée.",
    "L'après-midi était dédié à la lutte contre la criminalité organisée liée au trafic de stupéfiants.",
    "En marge de la réunion informelle, le ministre Gloden a signé avec son homologue français, Gérald Darmanin, "
    "deux arrangements administratifs relatifs à des patrouilles mixtes à bord des trains circulant sur toutes les "
    "lignes ferroviaires transfrontalières.",
]
TITLE_EN = 'Léon Gloden at the informal meeting of the "Justice and Home Affairs" (JHA) Council'
BODY_EN = [
    "Following a presentation by the Belgian Presidency and the European Commission on migration and asylum in the "
    "European Union, the ministers discussed a coordinated approach to the continued implementation of temporary "
    "protection for people who fled Ukraine after the Russian aggression of February 2022. Minister Gloden "
    "explicitly supported extending temporary protection beyond March 2025.",
    "Artificial intelligence and its use by criminals were discussed over a working lunch.",
    "The afternoon was devoted to the fight against organised crime linked to drug trafficking.",
]
#: The three photos, left to right: family names of the people shown (none on the group photo).
PHOTOS = [
    ("photo-de-groupe.jpg", []),
    ("gloden-jans.jpg", ["Gloden", "Jans"]),
    ("verlinden-gloden.jpg", ["Verlinden", "Gloden"]),
]
