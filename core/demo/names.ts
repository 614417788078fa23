/**
 * Data for the demo town of Belleval (45100): names as a French town hall really sees them, accents, apostrophes
 * and particles included, because that is what the search and the printed documents must cope with.
 * Lists are written most common first; the generator leans towards the head of each list.
 */

export type Sex = 'F' | 'M';

/** Long lists are written as comma-separated text, so they stay readable and a formatter keeps them compact. */
function list(text: string): readonly string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Where a family's names come from, so a family's first names and surname go together most of the time. */
export type Origin = 'fr' | 'maghreb' | 'afrique' | 'lusophone' | 'asie';

export const ORIGIN_WEIGHTS: readonly (readonly [Origin, number])[] = [
  ['fr', 78],
  ['maghreb', 10],
  ['afrique', 5],
  ['lusophone', 4],
  ['asie', 3],
];

export const SURNAMES: Readonly<Record<Origin, readonly string[]>> = {
  fr: list(`
Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, Simon,
Michel, Lefèvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, Dupont,
Lambert, Fontaine, Rousseau, Vincent, Lefebvre, Faure, André, Mercier, Blanc, Guérin, Boyer,
Garnier, Chevalier, François, Legrand, Gauthier, Garcia, Perrin, Robin, Clément, Morin,
Nicolas, Henry, Roussel, Mathieu, Gautier, Masson, Marchand, Duval, Denis, Dumont, Lemaire,
Noël, Meyer, Dufour, Meunier, Brun, Blanchard, Giraud, Joly, Rivière, Lucas, Brunet, Gaillard,
Barbier, Arnaud, Martinez, Gérard, Roche, Renard, Schmitt, Roy, Leroux, Colin, Vidal, Caron,
Picard, Roger, Fabre, Aubert, Lemoine, Renaud, Dumas, Lacroix, Olivier, Philippe, Bourgeois,
Pierre, Benoît, Rey, Leclerc, Rolland, Leclercq, Guillaume, Lecomte, Lopez, Dupuy, Guillot,
Hubert, Berger, Carpentier, Sanchez, Dupuis, Moulin, Deschamps, Huet, Vasseur, Perez, Boucher,
Fleury, Royer, Klein, Jacquet, Poirier, Marty, Aubry, Guyot, Carré, Charpentier, Ménard,
Maillard, Baron, Bertin, Bailly, Hervé, Schneider, Fernandez, Le Gall, Collet, Léger, Bouvier,
Prévost, Millet, Perrot, Le Roux, Cousin, Germain, Breton, Besson, Langlois, Rémy, Le Goff,
Pelletier, Lévêque, Perrier, Leblanc, Barré, Lebrun, Marchal, Weber, Mallet, Hamon, Boulanger,
Jacob, Monnier, Michaud, Guichard, Gillet, Étienne, Poulain, Tessier, Chauvin, Bouchet,
Lemaître, Bénard, Hamel, Lefort, Texier, Müller, Le Bihan, Delacroix, Saint-Martin, Desjardins,
Lenôtre, Chrétien, Bénézet, Côté, Dubois-Lambert, Kowalski, Rossi, Lejeune, Maréchal, Thévenin,
Pâris, Courtois, Gaudin
`),
  maghreb: list(`
Benali, Haddad, Mansouri, Bouzid, Cherif, Belkacem, Amrani, Saïdi, Hamidi, Brahimi, Khelifi,
Meziane, Benaïssa, Aït Ahmed, El Idrissi, Benyahia, Zerrouki, Lahlou, Ouali, Boukhari, Djebbar,
Ferhat, Bensaïd, Chaouch, Kaci, Larbi, Messaoudi, Rahmani, Slimani, Taleb, Yahiaoui, Hadjadj
`),
  afrique: list(`
N'Diaye, Diallo, Traoré, Diop, Koné, Camara, Sow, Cissé, Coulibaly, Keïta, Sylla, Fofana, Ba,
Touré, Kanté, N'Guessan, Mbaye, Sarr, Konaté, Dembélé, Faye, Gueye, Sané, Bamba
`),
  lusophone: list(`
Da Silva, Dos Santos, Pereira, Ferreira, Rodrigues, Fernandes, Gonçalves, Lopes, De Oliveira,
Teixeira, Carvalho, Sousa, Martins, Ribeiro, Da Costa, Almeida, Mendes, Gomes, Correia
`),
  asie: list(`
Nguyen, Tran, Pham, Hoang, Phan, Vu, Dang, Bui, Ngo, Truong, Huynh, Vo, Ly, Lam, Chen, Wang,
Lin
`),
};

/** First names given to people born `from`–`to`, by sex; `origin` lists are mixed in for families of that origin. */
export interface GivenNameCohort {
  sex: Sex;
  from: number;
  to: number;
  origin: Origin;
  names: readonly string[];
}

export const GIVEN_NAMES: readonly GivenNameCohort[] = [
  // Grandparents, who come to pick children up.
  {
    sex: 'F',
    from: 1945,
    to: 1966,
    origin: 'fr',
    names: list(`
Monique, Françoise, Martine, Christiane, Jacqueline, Danielle, Nicole, Sylvie, Chantal,
Michèle, Brigitte, Josiane, Annie, Catherine, Évelyne, Dominique, Marie-Claude, Colette, Odile,
Geneviève, Joëlle, Hélène
`),
  },
  {
    sex: 'M',
    from: 1945,
    to: 1966,
    origin: 'fr',
    names: list(`
Michel, Jean-Pierre, Alain, Bernard, Gérard, Patrick, Daniel, Jean-Claude, Christian, René,
Jacques, Serge, Roger, André, Claude, Philippe, Gilles, Jean-Louis, Hervé, Marcel, Jean-Michel,
Joël
`),
  },
  // Parents.
  {
    sex: 'F',
    from: 1975,
    to: 1984,
    origin: 'fr',
    names: list(`
Sandrine, Nathalie, Stéphanie, Céline, Virginie, Karine, Valérie, Isabelle, Sophie, Delphine,
Cécile, Séverine, Émilie, Aurélie, Caroline, Élodie, Laetitia, Marie, Anne-Sophie, Sabrina,
Vanessa, Magali, Gaëlle, Hélène, Christelle, Angélique, Carole, Estelle, Ludivine, Maud,
Anne-Laure, Frédérique, Géraldine, Nadège
`),
  },
  {
    sex: 'F',
    from: 1985,
    to: 1995,
    origin: 'fr',
    names: list(`
Julie, Audrey, Mélanie, Laura, Camille, Pauline, Marion, Amandine, Jessica, Charlotte, Sarah,
Émilie, Élodie, Claire, Justine, Morgane, Anaïs, Manon, Marine, Lucie, Alexandra, Chloé,
Océane, Léa, Aurélie, Mathilde, Clémence, Ophélie, Margaux, Noémie, Coralie, Mégane, Solène,
Maëva
`),
  },
  {
    sex: 'M',
    from: 1975,
    to: 1984,
    origin: 'fr',
    names: list(`
Nicolas, Sébastien, Stéphane, Christophe, David, Frédéric, Jérôme, Cédric, Laurent, Olivier,
Fabrice, Franck, Arnaud, Grégory, Ludovic, Yannick, Éric, Thierry, Pascal, Vincent, Benoît,
Emmanuel, Damien, Mickaël, Xavier, Sylvain, Jean-François, Pierre-Yves, Lionel, Hervé, Gaël,
Jean-Marc
`),
  },
  {
    sex: 'M',
    from: 1985,
    to: 1995,
    origin: 'fr',
    names: list(`
Julien, Thomas, Guillaume, Romain, Maxime, Alexandre, Anthony, Jérémy, Kévin, Mathieu, Nicolas,
Florian, Antoine, Benjamin, Adrien, Quentin, Pierre, Clément, Sébastien, Jonathan, Vincent,
Loïc, Fabien, Aurélien, Rémi, Valentin, Jean-Baptiste, Bastien, Cyril, Dylan, Jérôme, Mickaël,
Grégoire, Étienne
`),
  },
  {
    sex: 'F',
    from: 1945,
    to: 1995,
    origin: 'maghreb',
    names: list(
      'Fatima, Nadia, Samira, Karima, Leïla, Yasmina, Souad, Nawel, Sonia, Amel, Myriam, Malika, Hanane, Soraya, Djamila',
    ),
  },
  {
    sex: 'M',
    from: 1945,
    to: 1995,
    origin: 'maghreb',
    names: list(
      'Karim, Mehdi, Mohamed, Rachid, Samir, Nabil, Farid, Mourad, Sofiane, Khaled, Youssef, Hakim, Bilal, Yacine, Abdelkader',
    ),
  },
  {
    sex: 'F',
    from: 1945,
    to: 1995,
    origin: 'afrique',
    names: list('Fatou, Aminata, Awa, Mariama, Aïssatou, Khady, Coumba, Bintou, Rokhaya, Ndèye'),
  },
  {
    sex: 'M',
    from: 1945,
    to: 1995,
    origin: 'afrique',
    names: list(
      'Mamadou, Moussa, Ibrahima, Ousmane, Abdoulaye, Cheikh, Amadou, Lamine, Boubacar, Souleymane, Seydou',
    ),
  },
  {
    sex: 'F',
    from: 1945,
    to: 1995,
    origin: 'lusophone',
    names: list('Ana, Maria, Sandra, Cristina, Sónia, Patrícia, Carla, Fernanda, Joana, Paula'),
  },
  {
    sex: 'M',
    from: 1945,
    to: 1995,
    origin: 'lusophone',
    names: list('João, Paulo, Carlos, José, Manuel, António, Ricardo, Nuno, Fernando, Rui'),
  },
  {
    sex: 'F',
    from: 1945,
    to: 1995,
    origin: 'asie',
    names: list('Linh, Mai, Lan, Hoa, Thu, Ngoc, Mei, Phuong'),
  },
  {
    sex: 'M',
    from: 1945,
    to: 1995,
    origin: 'asie',
    names: list('Duc, Minh, Tuan, Hung, Long, Quang, Thanh, Wei'),
  },
  // Children.
  {
    sex: 'F',
    from: 2012,
    to: 2017,
    origin: 'fr',
    names: list(`
Emma, Léa, Chloé, Manon, Inès, Jade, Louise, Camille, Zoé, Lola, Lilou, Sarah, Juliette, Lina,
Léna, Clara, Anna, Éva, Romane, Ambre, Alice, Maëlys, Louna, Mathilde, Margaux, Agathe, Noémie,
Julia, Capucine, Héloïse, Océane, Clémence
`),
  },
  {
    sex: 'F',
    from: 2018,
    to: 2023,
    origin: 'fr',
    names: list(`
Jade, Louise, Emma, Alice, Ambre, Lina, Rose, Chloé, Mia, Léna, Anna, Mila, Julia, Inès,
Léonie, Iris, Lou, Agathe, Jeanne, Romy, Céleste, Olivia, Nina, Giulia, Alma, Victoire, Thaïs,
Zélie, Éléna, Margot, Zoé, Apolline
`),
  },
  {
    sex: 'M',
    from: 2012,
    to: 2017,
    origin: 'fr',
    names: list(`
Nathan, Lucas, Léo, Gabriel, Timéo, Enzo, Louis, Raphaël, Arthur, Hugo, Jules, Ethan, Adam,
Nolan, Tom, Noah, Théo, Sacha, Maël, Mathis, Baptiste, Clément, Maxime, Évan, Axel, Paul,
Antoine, Valentin, Kylian, Titouan, Noé, Mattéo
`),
  },
  {
    sex: 'M',
    from: 2018,
    to: 2023,
    origin: 'fr',
    names: list(`
Gabriel, Léo, Raphaël, Arthur, Louis, Jules, Adam, Maël, Lucas, Hugo, Noah, Liam, Sacha, Gabin,
Nathan, Aaron, Léon, Tiago, Noé, Marius, Éden, Malo, Côme, Isaac, Augustin, Timothée, Victor,
Eliott, Naël, Ezio, Joseph, Loan
`),
  },
  {
    sex: 'F',
    from: 2012,
    to: 2023,
    origin: 'maghreb',
    names: list('Inès, Lina, Yasmine, Nour, Sofia, Aya, Myriam, Sara, Maryam, Assia, Amira, Lyna'),
  },
  {
    sex: 'M',
    from: 2012,
    to: 2023,
    origin: 'maghreb',
    names: list('Adam, Yanis, Rayan, Ilyes, Amir, Ayoub, Mohamed, Ismaël, Imran, Naël, Yacine, Younès'),
  },
  {
    sex: 'F',
    from: 2012,
    to: 2023,
    origin: 'afrique',
    names: list('Aminata, Awa, Mariam, Fatoumata, Kadiatou, Aïcha, Hawa, Oumou'),
  },
  {
    sex: 'M',
    from: 2012,
    to: 2023,
    origin: 'afrique',
    names: list('Moussa, Ibrahima, Mamadou, Issa, Souleymane, Aboubacar, Idrissa, Bakary'),
  },
  {
    sex: 'F',
    from: 2012,
    to: 2023,
    origin: 'lusophone',
    names: list('Inês, Beatriz, Lara, Leonor, Matilde, Carolina'),
  },
  {
    sex: 'M',
    from: 2012,
    to: 2023,
    origin: 'lusophone',
    names: list('Tiago, Rafael, Gonçalo, Diogo, Rodrigo, Enzo'),
  },
  { sex: 'F', from: 2012, to: 2023, origin: 'asie', names: list('Linh, Mai, Lan, Emma, Chloé') },
  { sex: 'M', from: 2012, to: 2023, origin: 'asie', names: list('Minh, Bao, Lucas, Kevin, Thomas') },
];

export const STREET_TYPES: readonly (readonly [string, number])[] = [
  ['rue', 50],
  ['avenue', 8],
  ['allée', 10],
  ['impasse', 8],
  ['chemin', 8],
  ['route', 4],
  ['boulevard', 3],
  ['place', 3],
  ['square', 2],
  ['résidence', 4],
];

/** Street names as they follow the type: « rue des Tilleuls », « avenue Jean Jaurès ». */
export const STREET_NAMES: readonly string[] = list(`
des Tilleuls, Jean Jaurès, Victor Hugo, de la République, Pasteur, du Général de Gaulle,
de la Mairie, des Écoles, du Moulin, de la Gare, Émile Zola, des Lilas, du Stade, de l'Église,
des Acacias, Saint-Martin, de la Loire, du Château, des Vignes, des Peupliers, Jules Ferry,
Gambetta, de la Fontaine, des Rosiers, Anatole France, Jean Moulin, des Cerisiers, du Bois,
des Prés, de la Forêt, des Coquelicots, des Hirondelles, du Lavoir, de Verdun, du 8 Mai 1945,
Marcel Pagnol, Georges Brassens, Simone Veil, Marie Curie, des Sablons, de Bellevue,
des Champs, de l'Étang, des Bruyères, du Clos Fleuri, de la Croix Blanche, des Mésanges,
des Ormes, Paul Bert, d'Orléans, de la Libération, des Aubépines
`);

export interface Neighbourhood {
  name: string;
  /** Relative share of the town's households. */
  weight: number;
  /** [type, name] pairs: a street keeps its type, so the same street never shows up as both rue and allée. */
  streets: readonly (readonly [string, string])[];
  /** Flats, so some addresses carry a building and a flat on their second line. */
  buildings: readonly string[];
  /** Schools follow the address (carte scolaire). */
  maternelle: string;
  elementaire: string;
}

export const TOWN = {
  name: 'Belleval',
  settingName: 'Ville de Belleval',
  postalCode: '45100',
  phonePrefix: '02 38',
  college: 'Collège Jules Verne',
} as const;

export const NEIGHBOURHOODS: readonly Neighbourhood[] = [
  {
    name: 'Centre-bourg',
    weight: 25,
    streets: [
      ['rue', 'de la République'],
      ['place', 'de la Mairie'],
      ['rue', 'Jean Jaurès'],
      ['rue', 'Pasteur'],
      ['rue', 'des Écoles'],
      ['rue', 'Gambetta'],
      ['avenue', 'Victor Hugo'],
      ['rue', "de l'Église"],
      ['impasse', 'du Lavoir'],
      ['rue', 'du Château'],
    ],
    buildings: ['Résidence du Parc', 'Résidence Les Glycines'],
    maternelle: 'École maternelle Les Tilleuls',
    elementaire: 'École élémentaire Jean Jaurès',
  },
  {
    name: 'La Gare',
    weight: 20,
    streets: [
      ['avenue', 'de la Gare'],
      ['rue', 'Émile Zola'],
      ['rue', 'de Verdun'],
      ['rue', 'du 8 Mai 1945'],
      ['rue', 'Anatole France'],
      ['allée', 'des Acacias'],
      ['boulevard', 'de la Libération'],
      ['rue', 'Paul Bert'],
    ],
    buildings: ['Résidence Le Belvédère'],
    maternelle: 'École maternelle Les Coquelicots',
    elementaire: 'École élémentaire Victor Hugo',
  },
  {
    name: 'Bellevue',
    weight: 25,
    streets: [
      ['allée', 'des Lilas'],
      ['allée', 'des Mésanges'],
      ['impasse', 'des Hirondelles'],
      ['rue', 'des Coquelicots'],
      ['chemin', 'des Prés'],
      ['rue', 'Marcel Pagnol'],
      ['rue', 'Georges Brassens'],
      ['square', 'Simone Veil'],
      ['rue', 'de Bellevue'],
      ['allée', 'des Aubépines'],
    ],
    buildings: [],
    maternelle: 'École maternelle Marie Curie',
    elementaire: 'École élémentaire Marie Curie',
  },
  {
    name: 'Le Moulin',
    weight: 12,
    streets: [
      ['rue', 'du Moulin'],
      ['chemin', 'de Halage'],
      ['quai', 'de la Loire'],
      ['rue', 'des Peupliers'],
      ['route', "d'Orléans"],
      ['chemin', 'des Vignes'],
      ['impasse', 'du Clos Fleuri'],
      ['chemin', "de l'Étang"],
    ],
    buildings: [],
    maternelle: 'École primaire Jules Ferry',
    elementaire: 'École primaire Jules Ferry',
  },
  {
    name: 'Les Sablons',
    weight: 18,
    streets: [
      ['rue', 'des Sablons'],
      ['avenue', 'Jean Moulin'],
      ['place', 'Louis Aragon'],
      ['allée', 'des Bruyères'],
      ['rue', 'des Ormes'],
      ['allée', 'de la Croix Blanche'],
    ],
    buildings: ['Bâtiment A', 'Bâtiment B', 'Bâtiment C', 'Résidence Les Sablons', 'Tour Aragon'],
    maternelle: 'École maternelle Les Sablons',
    elementaire: 'École élémentaire Jean Moulin',
  },
];

export interface NeighbourCommune {
  name: string;
  postalCode: string;
  weight: number;
  school: string;
}

/** Non-residents: they use Belleval's holiday centre and sometimes its schools, and pay the non-resident tariff. */
export const NEIGHBOUR_COMMUNES: readonly NeighbourCommune[] = [
  { name: 'Saint-Aubin-sur-Loire', postalCode: '45150', weight: 4, school: 'École primaire du Bourg' },
  { name: 'Montigny-les-Prés', postalCode: '45160', weight: 3, school: 'École primaire Les Prés' },
  { name: 'Chaumont-la-Forêt', postalCode: '45110', weight: 2, school: 'École primaire Saint-Exupéry' },
  { name: "L'Étang-Vieux", postalCode: '45130', weight: 1, school: 'École primaire du Lac' },
];

export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 35],
  ['orange.fr', 18],
  ['hotmail.fr', 10],
  ['free.fr', 9],
  ['laposte.net', 6],
  ['sfr.fr', 6],
  ['yahoo.fr', 5],
  ['outlook.fr', 5],
  ['wanadoo.fr', 4],
  ['icloud.com', 2],
];

/** Who, besides the guardians, may collect a child. Grandparents carry the family name. */
export const PICKUP_RELATIONSHIPS: readonly (readonly [string, number])[] = [
  ['grand-mère', 35],
  ['grand-père', 20],
  ['tante', 10],
  ['oncle', 6],
  ['voisine', 8],
  ['amie de la famille', 8],
  ['assistante maternelle', 10],
  ['baby-sitter', 3],
];
