// Words that never name a theme: published English stop lists, the boilerplate of abstracts, and evaluative words.

import { createRequire } from 'node:module';

// stopwords-iso (MIT, npm): the most comprehensive collection of published stop lists; its English list (1,298 words)
// is the union of the common ones (SMART, Snowball, NLTK, Lucene, …), so no label word can be in any of them.
const STOPWORDS_ISO = (createRequire(import.meta.url)('stopwords-iso') as { en: string[] }).en;

/** English stop words (scikit-learn's ENGLISH_STOP_WORDS, which BERTopic's CountVectorizer uses, plus contractions). */
const ENGLISH = `a about above across after afterwards again against all almost alone along already also although always am
among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back be became
because become becomes becoming been before beforehand behind being below beside besides between beyond bill both bottom
but by call can cannot cant co con could couldnt cry de describe detail do does done down due during each eg eight either
eleven else elsewhere empty enough etc even ever every everyone everything everywhere except few fifteen fifty fill find
fire first five for former formerly forty found four from front full further get give go had has hasnt have he hence her
here hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in inc indeed interest
into is it its itself keep last latter latterly least less ltd made many may me meanwhile might mill mine more moreover
most mostly move much must my myself name namely neither never nevertheless next nine no nobody none noone nor not
nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own part per
perhaps please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the their them
themselves then thence there thereafter thereby therefore therein thereupon these they thick thin third this those
though three through throughout thru thus to together too top toward towards twelve twenty two un under until up upon us
very via was we well were what whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet you your yours yourself
yourselves isn doesn don aren won ll ve et al`;

/**
 * Words every abstract uses whatever its subject ("we propose a novel method … results show … state-of-the-art"). They
 * carry no topic, so they are dropped before counting, and a phrase never spans one.
 */
const BOILERPLATE = `paper papers propose proposes proposed proposing novel method methods methodology approach approaches result
results show shows shown showing demonstrate demonstrates demonstrated demonstrating experiment experiments experimental
extensive extensively outperform outperforms outperforming outperformed state-of-the-art sota art achieve achieves achieved
achieving significant significantly substantial substantially effective effectively effectiveness efficient efficiently
improve improves improved improving improvement improvements performance performances better best superior existing
prior previous previously recent recently new work works study studies introduce introduces introduced present presents
presented address addresses addressing challenge challenges challenging problem problems issue issues key furthermore
additionally specifically respectively various different based using use used uses utilize utilizes utilizing leverage
leverages leveraging enable enables enabling provide provides providing code available github https http www com org
framework frameworks paradigm technique techniques strategy strategies simple effective promising important crucial
widely commonly typically generally usually particular particularly consistently compared comparison comparable
conduct conducted evaluate evaluated demonstrating able ability aim aims
specific general various numerous wide range terms way ways instead like including include includes given finally
overall thereby moreover despite remains remain lack limited limitation limitations potential propose achieve
design designs designed designing represent represents representing setting settings small large larger reduce reduces
reduced reducing scenario scenarios mechanism mechanisms unified diverse robust robustness high higher low lower level
levels capable allow allows allowing obtain obtained obtaining contain containing contains perform performs performing
yield yields yielding fail fails aspects aspect factors factor insights insight tackle tackles handle handles manner
benefit benefits benefiting simultaneously respectively solely strong stronger extensive easily directly jointly
successfully successful notably readily rich good great popular fundamental critical essential main major
accurate accuracy accurately efficiency powerful superiority advantage advantages advantageous competitive
excellent remarkable remarkably impressive strong strongly improve outperformance gains gain boost boosts boosting
enhance enhances enhanced enhancing enhancement effectively valuable useful practical practically feasible
scalable versatile flexible comprehensive thorough systematic systematically rigorous rigorously provably
phenomenon phenomena article briefly adjust adjusts adjusted model-based
overview survey review paper's authors author propose extensive empirical empirically theoretical theoretically
analyze analyzes analyzed investigate investigates investigated investigation explore explores
explored exploring understand findings finding observe observed
reveal reveals revealed suggests suggest suggesting highlight highlights highlighting emerge emerges`;

/** Lower-case words that are dropped before counting terms: stopwords-iso's English list, scikit-learn's, the boilerplate. */
export const STOP_WORDS: ReadonlySet<string> = new Set([...STOPWORDS_ISO, ...`${ENGLISH} ${BOILERPLATE}`.split(/\s+/).filter(Boolean)]);
