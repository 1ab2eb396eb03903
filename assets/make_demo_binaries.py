"""Regenerate the binary and legacy-encoded files of the demo corpus from text held here.

The demo corpus is mostly plain UTF-8 text that lives in the repository as-is. The files
that a person cannot sensibly edit by hand (.docx, .odt, .epub, .pdf, and the UTF-16 and
Latin-1 text files) are written by this script, so that the source of every demo document
is readable and reviewable. Run it from anywhere:

    python assets/make_demo_binaries.py

Writers: python-docx for .docx, odfpy for .odt, ebooklib for .epub, and a small
hand-written PDF writer (base-14 Helvetica, one content stream per page) so the project
needs no PDF-writing dependency. Zip members get a fixed timestamp and the documents a
fixed date, so reruns on the same machine give identical bytes.

Text is held in a tiny markup: "# " starts a heading, "## " a subheading, "- " a bullet,
a blank line ends a paragraph, and other lines continue the current block.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import textwrap
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import docx
from ebooklib import epub
from odf import dc as odf_dc
from odf import text as odf_text
from odf.opendocument import OpenDocumentText

from xlsearch.extract.legacy import to_preeti

DEMO_DIR = Path(__file__).resolve().parent / "demo"
FIXED_DATE = dt.datetime(2024, 5, 1, 0, 0, 0)
FIXED_ZIP_TIME = (2024, 5, 1, 0, 0, 0)
AUTHOR = "xlsearch demo corpus"

# --- Text of the generated documents --------------------------------------------------

JEEVANJAL_NE = """
# झाडापखाला लागेका बालबालिकाका लागि जीवनजल (ORS) र जिंक

महिला स्वास्थ्य स्वयंसेविका र अभिभावकका लागि जानकारी पत्र

पखाला लाग्दा शरीरबाट धेरै पानी र लवण बाहिर निस्कन्छ। यसलाई जलवियोजन भनिन्छ। साना
बालबालिकामा जलवियोजन छिट्टै गम्भीर हुन सक्छ र ज्यानै जान सक्छ। जीवनजल (ओआरएस)ले
शरीरबाट गुमेको पानी र लवण फिर्ता गर्छ। जीवनजल स्वास्थ्य चौकी र महिला स्वास्थ्य
स्वयंसेविकासँग निःशुल्क पाइन्छ, औषधि पसलमा पनि सस्तोमा किन्न पाइन्छ।

# जीवनजल बनाउने तरिका

- साबुन पानीले मिचिमिची हात धुनुहोस्।
- एक लिटर उमालेर सेलाएको सफा पानी सफा भाँडोमा राख्नुहोस्।
- जीवनजलको पूरै एक पोका पानीमा खन्याएर राम्ररी चलाउनुहोस्।
- बनाएको जीवनजल चौबीस घण्टाभित्र प्रयोग गर्नुहोस्; बाँकी रहेमा फालेर नयाँ बनाउनुहोस्।
- जीवनजलमा चिनी, नुन वा अरू कुनै कुरा नथप्नुहोस् र दूध वा जुसमा नमिसाउनुहोस्।

# कति खुवाउने?

हरेक पटक पातलो दिसा भएपछि दुई वर्षभन्दा मुनिका बच्चालाई आधा कपदेखि एक कप (५० देखि
१०० मिलिलिटर) र दुईदेखि दस वर्षका बच्चालाई एकदेखि दुई कप (१०० देखि २०० मिलिलिटर)
जीवनजल खुवाउनुहोस्। ठूला बच्चा र वयस्कले जति मन लाग्छ उति पिउन सक्छन्। चम्चाले
बिस्तारै खुवाउनुहोस्। बच्चाले बान्ता गरेमा दस मिनेट पर्खेर फेरि बिस्तारै खुवाउनुहोस्।

# जिंक चक्की

जीवनजलसँगै जिंक चक्की पनि दस दिनसम्म खुवाउनुपर्छ; पखाला रोकिए पनि दस दिन पूरा
गर्नुहोस्। छ महिनाभन्दा मुनिका शिशुलाई दैनिक आधा चक्की र छ महिनाभन्दा माथिका
बच्चालाई दैनिक एक चक्की दिइन्छ। चक्कीलाई आमाको दूध वा सफा पानीमा घोलेर खुवाउन
सकिन्छ। जिंकले पखाला छिटो निको पार्छ र फेरि पखाला लाग्ने सम्भावना घटाउँछ।

# खाना र स्तनपान

पखाला लागेका बेला पनि स्तनपान नरोक्नुहोस्, बरु झन् धेरै पटक खुवाउनुहोस्। छ
महिनाभन्दा माथिका बच्चालाई जाउलो, दाल, भात, हरियो सागसब्जी र फलफूल जस्ता नरम खाना
थोरै थोरै गरी पटक पटक खुवाउनुहोस्। पखाला निको भएपछि दुई हप्तासम्म दिनमा एक छाक थप
खाना दिनुहोस्।

# तुरुन्तै स्वास्थ्य संस्था लैजानुपर्ने अवस्था

- बच्चा अत्यन्त सुस्त वा लत्रक्क परेमा वा बेहोस भएमा
- बच्चाले खान वा दूध चुस्न नसकेमा
- आँखा गडेको, ओठ र जिब्रो सुकेको वा पेटको छाला चिमोट्दा बिस्तारै फर्किएमा
- दिसामा रगत देखिएमा
- पखालासँगै उच्च ज्वरो आएमा वा बारम्बार बान्ता भएमा

# पखाला लाग्न नदिन

खाना बनाउनुअघि, खाना खानुअघि, बच्चालाई खुवाउनुअघि र शौचालय प्रयोग गरेपछि साबुन
पानीले हात धुनुहोस्। पिउने पानी उमालेर, फिल्टर गरेर वा क्लोरिन हालेर मात्र पिउनुहोस्।
शौचालय प्रयोग गर्नुहोस् र बच्चाको दिसा पनि शौचालयमै फाल्नुहोस्। रोटा भाइरस खोपले
बालबालिकालाई गम्भीर पखालाबाट जोगाउँछ।
"""

NAGARIKTA_NE = """
# वंशजको आधारमा नागरिकताको प्रमाणपत्र लिन चाहिने कागजात

कानुनी सहायता केन्द्रबाट सेवाग्राहीलाई दिइने जानकारी

नागरिकताको प्रमाणपत्र नेपाली नागरिकको मुख्य परिचयपत्र हो। जग्गा खरिद बिक्री र दर्ता
गर्न, बैङ्कमा खाता खोल्न, राहदानी बनाउन, लोकसेवाको परीक्षा दिन, मतदाता नामावलीमा नाम
लेखाउन र वैदेशिक रोजगारीमा जान नागरिकता चाहिन्छ। सोह्र वर्ष उमेर पूरा भएपछि
नागरिकताको प्रमाणपत्र लिन निवेदन दिन सकिन्छ।

# कहाँ निवेदन दिने?

सबैभन्दा पहिले आफू बसोबास गर्ने वडा कार्यालयबाट सिफारिस लिनुपर्छ। वडा कार्यालयले
निवेदकको नाम, थर, ठेगाना र बाबुआमाको विवरण जाँचेर सिफारिस पत्र दिन्छ। त्यसपछि बुबा
वा आमाले नागरिकता लिएको जिल्ला वा आफ्नो स्थायी बसोबास रहेको जिल्लाको जिल्ला प्रशासन
कार्यालयमा निवेदन दिनुपर्छ।

# के के कागजात चाहिन्छ?

- बुबा वा आमाको नागरिकताको प्रमाणपत्र र सोको फोटोकपी
- निवेदकको जन्मदर्ता प्रमाणपत्र
- वडा कार्यालयको सिफारिस पत्र
- हालसालै खिचिएको पासपोर्ट साइजको फोटो
- जन्म मिति खुलेको विद्यालय छाड्ने प्रमाणपत्र वा अन्य शैक्षिक प्रमाणपत्र भए सोको फोटोकपी
- विवाहित महिलाले पतिको तर्फबाट निवेदन दिँदा विवाह दर्ता प्रमाणपत्र र पतिको नागरिकता
- बुबा वा आमाको मृत्यु भइसकेको भए मृत्यु दर्ता प्रमाणपत्र र वडाबाट जारी नाता प्रमाणित पत्र
- अर्को ठाउँबाट बसाइँ सरेर आएको भए बसाइँसराइ दर्ताको प्रमाणपत्र

# सनाखत

निवेदकलाई चिन्ने र नागरिकता लिइसकेको नजिकको नातेदार, प्रायः बुबा, आमा, दाजु वा काका,
निवेदकसँगै कार्यालयमा उपस्थित भई सनाखत गर्नुपर्छ। नातेदार आउन नसक्ने भए के गर्ने भन्ने
बारे पहिल्यै कार्यालय वा कानुनी सहायता केन्द्रमा सोध्नुहोस्।

# ध्यान दिनुपर्ने कुरा

बुबाआमाको नागरिकता, जन्मदर्ता र शैक्षिक प्रमाणपत्रमा नाम, थर र जन्म मिति एउटै हुनुपर्छ।
फरक भएमा कार्यालय जानुअघि नै सच्याउने प्रक्रिया सुरु गर्नुहोस्। सबै कागजातका सक्कल
प्रति र फोटोकपी साथमा लैजानुहोस्। नागरिकताको प्रमाणपत्र हराएमा वा च्यातिएमा जारी
गर्ने कार्यालयबाट प्रतिलिपि लिन सकिन्छ; यसका लागि पनि वडाको सिफारिस चाहिन्छ।
"""

CLIMATE_ODT_NE = """
# जलवायु परिवर्तन र पहाडी खेती

मुख्य शब्दहरू (Keywords): climate change, hill agriculture, adaptation, drought, Nepal

## पृष्ठभूमि

नेपालका पहाडी जिल्लाका अधिकांश किसान वर्षामा भर पर्ने खेती गर्छन्। मकै, कोदो, धान,
गहुँ र आलु यहाँका मुख्य बाली हुन्। पछिल्ला वर्षहरूमा तापक्रम बढ्दै गएको छ, पानी पर्ने
समय र मात्रा अनिश्चित भएको छ र किसानले पुस्तौँदेखि मान्दै आएको खेतीपातीको पात्रो नमिल्न
थालेको छ।

## किसानले देखेका परिवर्तन

- मनसुन ढिलो सुरु हुन्छ र छोटो समयमा धेरै पानी पर्छ, जसले गर्दा पहिरो र भू-क्षय बढेको छ।
- हिउँदमा लामो खडेरी पर्छ; गहुँ र तोरी राम्ररी उम्रँदैनन्।
- असिना र हावाहुरीले पाक्न लागेको मकै र फलफूल नष्ट गर्छन्।
- पहिले नदेखिएका कीरा र रोग देखिन थालेका छन्, जस्तै मकैमा फौजी कीरा।
- पानीका मूल सुक्दै गएकाले सिँचाइ मात्र होइन खानेपानीको पनि अभाव भएको छ।
- स्याउ जस्ता चिसो हावापानी चाहिने बाली झन् माथिल्लो उचाइतिर सर्दै छन्।

## असर कसलाई बढी पर्छ?

साना किसान, भूमिहीन परिवार र महिलामा जलवायु परिवर्तनको असर बढी पर्छ। पुरुषहरू
वैदेशिक रोजगारीमा गएकाले खेतीको धेरै काम महिलाको काँधमा परेको छ। उत्पादन घटेपछि
धेरै परिवारले खाद्यान्न किनेर खानुपर्ने अवस्था आएको छ र कतिपय बारी बाँझो छाडिएका छन्।

## अनुकूलनका उपाय

- वर्षाको पानी सङ्कलन गर्ने प्लास्टिक पोखरी र थोपा सिँचाइ प्रयोग गर्ने।
- खडेरी र रोग सहन सक्ने उन्नत तथा स्थानीय जातका बीउ छान्ने र बीउ बैङ्क बनाउने।
- माटोमा चिस्यान जोगाउन छापो (मल्चिङ) र गोठेमल प्रयोग गर्ने।
- डाँडाकाँडामा घाँस, डालेघाँस र फलफूलका बिरुवा लगाएर कृषि वन प्रणाली अपनाउने।
- बेमौसमी तरकारीका लागि प्लास्टिक घर (टनेल) बनाउने।
- बाली तथा पशु बीमा गर्ने र मौसम पूर्वानुमानको सूचना रेडियो वा मोबाइलबाट लिने।

## निष्कर्ष

जलवायु परिवर्तन रोक्ने काम विश्वव्यापी हो, तर पहाडका किसानले स्थानीय ज्ञान र नयाँ
प्रविधि मिलाएर यसको असर धेरै हदसम्म कम गर्न सक्छन्। स्थानीय तह, कृषि ज्ञान केन्द्र र
सहकारीले किसानलाई प्राविधिक सहयोग, बीउ र सहुलियत ऋण उपलब्ध गराउनु आवश्यक छ।
"""

SPRINGS_EPUB_NE: list[tuple[str, str]] = [
    (
        "मूलहरू किन सुक्दैछन्?",
        """
# मूलहरू किन सुक्दैछन्?

पहाडका अधिकांश गाउँ खानेपानी र सिँचाइका लागि मूलमा भर पर्छन्। पछिल्ला दुई दशकमा धेरै
मूलको पानी घटेको छ र कतिपय मूल पूरै सुकेका छन्। हिउँदमा र चैत-वैशाखमा पानीको अभाव
सबैभन्दा बढी हुन्छ।

मूलमा आउने पानी वर्षाको पानी जमिनमुनि छिरेर जम्मा भएको हो। वर्षा कम भए, छोटो समयमा
धेरै पानी परेर सतहबाटै बगेर गए, वा माथिको जमिनमा पानी छिर्न नसके मूलमा पानी कम आउँछ।

## मुख्य कारण

- मनसुनको ढाँचा बदलिनु र हिउँदे वर्षा घट्नु
- वन फँडानी र डढेलोले माटोको पानी सोस्ने क्षमता घट्नु
- कच्ची सडक खन्दा पानीको प्राकृतिक बाटो बिग्रनु र पहिरो जानु
- जनसङ्ख्या र पानीको माग बढ्नु

मूल सुक्दा सबैभन्दा धेरै मार महिला र बालबालिकालाई पर्छ, किनकि पानी ल्याउने काम प्रायः
उनीहरूकै हुन्छ। पानी कम भएपछि सरसफाइमा असर पर्छ र पखाला जस्ता रोग बढ्छन्।
""",
    ),
    (
        "मूल जोगाउने र पुनर्भरण गर्ने उपाय",
        """
# मूल जोगाउने र पुनर्भरण गर्ने उपाय

मूल जोगाउने पहिलो काम त्यसको पुनर्भरण क्षेत्र पहिचान गर्नु हो। पुनर्भरण क्षेत्र भनेको
मूलभन्दा माथिको त्यो जमिन हो जहाँ परेको पानी जमिनमुनि छिरेर मूलसम्म पुग्छ। स्थानीय
बूढापाका र भूगर्भविद्को सहयोगमा यो क्षेत्र नक्सामा चिनो लगाउन सकिन्छ।

- पुनर्भरण क्षेत्रमा समोच्च रेखामा खाल्डा र साना पोखरी खन्ने
- स्थानीय जातका रुख, घाँस र झाडी रोप्ने र खुला चरिचरन नियन्त्रण गर्ने
- मूल वरिपरि बार लगाउने र फोहोर हुन नदिने
- घरको छानाबाट झर्ने पानी सङ्कलन गरेर ट्याङ्कीमा राख्ने

## पानीको नाप राख्ने

एउटा बाल्टिन र घडी भए मूलको पानी नाप्न सकिन्छ। बाल्टिन भरिन कति सेकेन्ड लाग्छ भनेर
हरेक महिना एक पटक एउटै दिन लेख्नुहोस्। केही वर्षको तथ्याङ्कले पुनर्भरणका उपायले काम
गरे कि गरेनन् भन्ने देखाउँछ।

खानेपानी उपभोक्ता समिति, आमा समूह, विद्यालय र स्थानीय तह मिलेर काम गरे मूल बचाउन
सकिन्छ। यसका लागि वडाको वार्षिक योजनामा बजेट छुट्याउन माग गर्नुहोस्।
""",
    ),
]

AMA_SAMUHA_UTF16_NE = """\
सिद्धार्थ आमा समूह, वडा नं. ५
मासिक बैठकको निर्णय पुस्तिका

आज मिति २०८१ साल वैशाख १५ गते यस आमा समूहको मासिक बैठक अध्यक्ष सीता तामाङको
अध्यक्षतामा समूहको भवनमा बसी देहायका प्रस्तावहरूमा छलफल गरी निर्णय पारित गरियो।

उपस्थिति
सीता तामाङ (अध्यक्ष), मीना श्रेष्ठ (सचिव), कमला थापा (कोषाध्यक्ष), गीता बिक, सरस्वती
अधिकारी, धनमाया गुरुङ, लक्ष्मी पौडेल, सुनिता राई र अन्य सदस्यहरू गरी जम्मा २१ जना।
महिला स्वास्थ्य स्वयंसेविका पार्वती खड्का आमन्त्रित सदस्यको रूपमा उपस्थित हुनुहुन्थ्यो।

प्रस्तावहरू
१. मासिक बचत र ऋण लगानी सम्बन्धमा।
२. स्वास्थ्य शिविर सम्बन्धमा।
३. विद्यालयको शौचालय निर्माण सम्बन्धमा।
४. मनसुनअघि सरसफाइ अभियान सम्बन्धमा।

निर्णयहरू
१. प्रत्येक सदस्यले मासिक दुई सय रुपैयाँ बचत जम्मा गर्ने निर्णय गरियो। बचत कोषबाट
बाख्रापालन गर्न चाहने तीन जना सदस्यलाई वार्षिक दस प्रतिशत ब्याजमा ऋण दिने निर्णय
गरियो।
२. असार महिनामा स्वास्थ्य चौकीसँग समन्वय गरी गर्भवती जाँच, बालबालिकाको तौल नाप्ने र
खोप छुटेका बच्चा पहिचान गर्ने शिविर सञ्चालन गर्ने निर्णय गरियो। शिविरको सूचना
स्वयंसेविकाले घरदैलोमा पुर्‍याउने।
३. विद्यालयमा छात्राका लागि छुट्टै शौचालय बनाउन वडा कार्यालयमा लिखित माग गर्ने र
समूहको तर्फबाट श्रमदान गर्ने निर्णय गरियो।
४. डेङ्गु र पखाला रोक्न जेठ महिनाको अन्तिम शनिबार टोलभरि सरसफाइ अभियान चलाउने,
जमेको पानी फाल्ने र पानीका ट्याङ्की छोप्न घरघरमा आग्रह गर्ने निर्णय गरियो।

अन्त्यमा अध्यक्षले सबै सदस्यलाई धन्यवाद दिँदै अर्को बैठक जेठ १५ गते बस्ने जानकारी
गराउनुभयो।
"""

SOIL_WORKSHOP_LATIN1_EN = """\
Soil and compost workshop - notes from the visiting team
Upper ward school building, three days in March

Team
José Ramírez (soil scientist), Zoë Lefèvre (agronomist), François Dubois (water
engineer), Renée Achterberg (nutrition), Søren Madsen (photographer) and Jürgen Weiß
(volunteer), with two local facilitators from the agriculture knowledge centre.

Day one: soil testing
José ran simple pH tests on samples from twelve terraces. Most upper terraces were
strongly acidic, between pH 4.8 and 5.5, while the lower irrigated plots were closer to
neutral. He explained that acid soils lock up phosphorus, which may explain the poor maize
yields farmers described. Farmers asked whether they should stop using urea; José advised
reducing it and adding agricultural lime and more farmyard manure instead.

Day two: compost and manure
Zoë led a practical session on improving farmyard manure. Most households pile manure in
the open, where rain washes the nutrients away. The group built a covered pit beside one
cattle shed and started a vermicompost bed with earthworms bought from the district
centre. Women in the group pointed out that collecting and carrying manure to distant
terraces is heavy work, and that labour, not knowledge, is the real limit now that many
men work abroad.

Day three: water and nutrition
François surveyed the spring above the village with the water user committee and
suggested recharge pits on the slope above it. Renée talked with the mothers' group about
kitchen gardens: spinach, beans and pumpkin near the house can improve children's diets
even where the distant fields are left fallow.

Follow-up
- Repeat the pH tests on the plots where lime is applied, after one season.
- Share the photographs Søren took with the rural municipality agriculture section.
- Zoë will prepare a short guide on compost in Nepali with the local facilitators.
- Ask the cooperative whether a bulk purchase of lime is possible before the next sowing.
"""

TENANCY_PDF_PAGES: list[str] = [
    """
# Tenancy and land registration in Nepal: a short guide for clients

Prepared by the legal aid desk. This guide gives general information only. Laws, fees and
office procedures change; check the current rules with the relevant office or a lawyer
before you act.

## Renting a house, flat or shop

Most rented rooms in Nepal are let on an informal basis, with a verbal promise and a
monthly cash payment. Informal arrangements work while both sides are friendly, but they
leave the tenant with little protection when a dispute arises, for example over an
increase in rent, a deposit that is not returned, or a sudden demand to leave.

A written tenancy agreement protects both the landlord and the tenant. The Civil Code
treats the letting of a house or room as a contract, and a written agreement is the best
evidence of what was agreed. Both sides should keep a signed copy.

## What a tenancy agreement should contain

- The names, addresses and citizenship certificate numbers of landlord and tenant.
- A clear description of the rooms, flat or shop, and any furniture included.
- The monthly rent, the date it is due, and how it is paid.
- The amount of any advance or security deposit, and when it will be returned.
- Who pays for electricity, water, waste collection and repairs.
- The length of the tenancy and how much notice either side must give to end it.
- Whether the tenant may sublet or run a business from the premises.

Tenants should ask for a receipt for every payment of rent. Paying through a bank or a
mobile wallet creates a record automatically.
""",
    """
## Rent tax and registration with the local government

Rental income is taxable. Landlords who let property to a business or organisation are
usually required to pay tax on the rent to the local government, and many municipalities
ask that tenancy agreements be registered at the ward office. Tenants who run a business
often need a registered agreement to obtain their own business registration.

## Repairs and the condition of the property

The landlord is generally responsible for major repairs to the structure, the roof, and
the water and electricity supply. The tenant should look after the premises with
reasonable care and return them in the same condition, apart from normal wear. Before
moving in, both sides should note the condition of the rooms in writing and take
photographs; this avoids arguments about the deposit later.

## Ending a tenancy

A tenancy for a fixed period ends when that period expires unless it is renewed. Either
side may end a tenancy early only in the way the agreement or the law allows, usually by
giving written notice. A landlord may not remove a tenant by cutting off water or
electricity, changing the locks, or throwing out belongings. Where a tenant refuses to
leave at the end of the agreed period, the landlord should seek help from the ward office
or the court.

## Disputes and mediation

Many municipalities have a judicial committee, led by the deputy mayor or vice
chairperson, that hears small disputes, including disputes between landlords and tenants.
Community mediation centres can also help the two sides reach an agreement. Mediation is
cheaper and quicker than going to court, and an agreement reached there can be recorded
in writing.
""",
    """
## Buying land and registering ownership

Land ownership in Nepal is recorded at the Land Revenue Office (Malpot) of the district
where the land lies, and the parcel itself is mapped by the Survey Office. The owner holds
a land ownership certificate, commonly called the lalpurja, which names the owner and
gives the plot number, area and location.

Before buying land, a buyer should:

- Inspect the seller's lalpurja and obtain a copy of the record from the Land Revenue
  Office to confirm that the seller is the registered owner.
- Check the plot number, area and boundaries on the cadastral map at the Survey Office.
- Confirm that the land is not mortgaged to a bank or subject to a court case.
- Check whether the land is classified for agriculture, housing or another use, and
  whether there is road access.

## The registration process

The sale is completed by a deed of transfer, known as the rajinama, registered at the
Land Revenue Office. Both parties, or their lawful representatives, appear in person with
their citizenship certificates and photographs. A licensed deed writer usually prepares
the deed. The buyer pays a registration fee, and the seller may owe capital gains tax on
the sale. After registration the office updates its records and issues a new lalpurja in
the buyer's name.

## Inheritance and partition

When an owner dies, the heirs register the transfer of the land in their names on the
basis of the death registration certificate and the relationship certificate from the
ward office. Where family members divide land among themselves, the partition deed is
also registered at the Land Revenue Office, and the Survey Office divides the plot on the
map.
""",
]

# Legacy-font documents: written here in Unicode, saved as Preeti would have typed them
# (npttf2utf's Unicode-to-Preeti mapper), as many Nepali offices still do. Preeti has no
# keys for ":", ";" or "-", so the text avoids them. In the .docx, text between [[ and ]]
# is an English run in Arial inside the Preeti paragraph.

KHOP_SUCHANA_PREETI_NE = """
स्वास्थ्य कार्यालय, नमूना जिल्ला

दादुरा रुबेला खोप अभियान सम्बन्धी सूचना

यस जिल्लाका सबै स्थानीय तहमा आउँदो माघ १५ गतेदेखि माघ २९ गतेसम्म दादुरा रुबेला खोप
अभियान सञ्चालन हुने भएकाले सम्बन्धित सबैको जानकारीका लागि यो सूचना प्रकाशित गरिएको छ।

नौ महिनादेखि पाँच वर्षसम्मका सबै बालबालिकालाई पहिले खोप लगाएको भए पनि यस अभियानमा एक
मात्रा थप खोप लगाउनुपर्छ। खोप निःशुल्क छ। नजिकको स्वास्थ्य चौकी, विद्यालय र तोकिएका खोप
केन्द्रमा बिहान १० बजेदेखि दिउँसो ३ बजेसम्म खोप लगाइनेछ।

खोप लगाएपछि सुई लगाएको ठाउँ अलिकति दुख्ने वा हल्का ज्वरो आउने हुन सक्छ। यो सामान्य हो।
तर बच्चालाई सास फेर्न गाह्रो भएमा, शरीरभरि बिमिरा आएमा वा बच्चा लल्याकलुलुक भएमा तुरुन्त
नजिकको स्वास्थ्य संस्थामा लैजानुहोस्।

अभिभावकले बच्चाको खोप कार्ड साथमा ल्याउनुहोला। कार्ड हराएको भए पनि खोप लगाउन पाइन्छ। थप
जानकारीका लागि महिला सामुदायिक स्वास्थ्य स्वयंसेविका वा स्वास्थ्य चौकीमा सम्पर्क गर्नुहोला।
"""

JANMA_DARTA_PREETI_NE = """
# जन्म दर्ता सम्बन्धी सार्वजनिक सूचना

वडा कार्यालय, नमूना गाउँपालिका

नेपालमा जन्मेका प्रत्येक बच्चाको जन्म दर्ता [[(birth registration)]] जन्मेको ३५ दिनभित्र
बाबु वा आमा बसोबास गर्ने वडा कार्यालयमा गराउनुपर्छ। बाबु आमा दुवै नभएमा परिवारका अरू सदस्य
वा संरक्षकले सूचना दिन सक्छन्।

# जन्म दर्ता गर्न चाहिने कागजात

- बच्चाको बाबु वा आमाको नागरिकताको प्रमाणपत्रको प्रतिलिपि
- अस्पतालमा जन्मेको भए अस्पतालले दिएको जन्मको प्रमाण
- सूचना दिने व्यक्तिको परिचयपत्र
- तोकिएको ढाँचाको सूचना फाराम, वडा कार्यालयमा निःशुल्क पाइन्छ

# दस्तुर र ढिलो दर्ता

३५ दिनभित्र दर्ता गराउँदा कुनै दस्तुर लाग्दैन। त्यसपछि दर्ता गराउँदा ढिलो हुनुको कारण
खुलाउनुपर्छ र नियमअनुसार जरिवाना लाग्न सक्छ।

जन्म दर्ताको प्रमाणपत्र पछि नागरिकता, विद्यालय भर्ना, राहदानी र सामाजिक सुरक्षा भत्ता लिन
चाहिन्छ। त्यसैले समयमै जन्म दर्ता गराऔं।
"""

# --- Block markup ---------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One block of a document: a heading ("h1", "h2"), a paragraph ("p") or a bullet ("li")."""

    kind: str
    text: str


_MARKERS = (("## ", "h2"), ("# ", "h1"), ("- ", "li"))


def _block_start(line: str) -> Block | None:
    """The block a line opens if it starts with a marker, else None."""
    for marker, kind in _MARKERS:
        if line.startswith(marker):
            return Block(kind, line[len(marker) :])
    return None


def parse_blocks(source: str) -> list[Block]:
    """Split the tiny markup into blocks; wrapped lines of one block are joined by a space."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in source.splitlines():
        line = raw.strip()
        started = _block_start(line)
        if not line:
            current = None
        elif started is not None:
            current = started
            blocks.append(current)
        elif current is None:
            current = Block("p", line)
            blocks.append(current)
        else:
            # A continuation line: widen the block in place.
            current = Block(current.kind, f"{current.text} {line}")
            blocks[-1] = current
    return blocks


# --- Zip-based formats ----------------------------------------------------------------


def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed member timestamps, keeping member order and compression.

    Order and per-member compression matter for EPUB and ODT, whose ``mimetype`` member
    must come first and be stored uncompressed.
    """
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w") as dst:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)


def write_docx(path: Path, title: str, source: str) -> None:
    """Write a Word document: headings, paragraphs and bulleted list items."""
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.language = title, AUTHOR, "ne-NP"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    for block in parse_blocks(source):
        if block.kind in ("h1", "h2"):
            document.add_heading(block.text, level=1 if block.kind == "h1" else 2)
        elif block.kind == "li":
            document.add_paragraph(block.text, style="List Bullet")
        else:
            document.add_paragraph(block.text)
    document.save(str(path))
    normalise_zip(path)


def write_preeti_docx(path: Path, title: str, source: str) -> None:
    """Write a Word document typed in Preeti; [[...]] spans are English runs in Arial."""
    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.language = title, AUTHOR, "ne-NP"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    for block in parse_blocks(source):
        if block.kind in ("h1", "h2"):
            paragraph = document.add_heading(level=1 if block.kind == "h1" else 2)
        elif block.kind == "li":
            paragraph = document.add_paragraph(style="List Bullet")
        else:
            paragraph = document.add_paragraph()
        for number, piece in enumerate(re.split(r"\[\[|\]\]", block.text)):
            english = number % 2 == 1
            run = paragraph.add_run(piece if english else to_preeti(piece))
            run.font.name = "Arial" if english else "Preeti"
    document.save(str(path))
    normalise_zip(path)


def write_preeti_text(path: Path, text: str) -> None:
    """Write UTF-8 text as typed in Preeti (its few non-ASCII glyph codes need UTF-8)."""
    path.write_text(to_preeti(text.strip()) + "\n", encoding="utf-8")


def write_odt(path: Path, title: str, source: str) -> None:
    """Write an OpenDocument text file; consecutive bullets share one list."""
    document = OpenDocumentText()
    document.meta.addElement(odf_dc.Title(text=title))
    document.meta.addElement(odf_dc.Language(text="ne-NP"))
    current_list: odf_text.List | None = None
    for block in parse_blocks(source):
        if block.kind != "li":
            current_list = None
        if block.kind in ("h1", "h2"):
            level = 1 if block.kind == "h1" else 2
            document.text.addElement(odf_text.H(outlinelevel=level, text=block.text))
        elif block.kind == "p":
            document.text.addElement(odf_text.P(text=block.text))
        else:
            if current_list is None:
                current_list = odf_text.List()
                document.text.addElement(current_list)
            item = odf_text.ListItem()
            item.addElement(odf_text.P(text=block.text))
            current_list.addElement(item)
    document.save(str(path))
    normalise_zip(path)


def blocks_to_xhtml(blocks: Iterable[Block]) -> str:
    """Render blocks as XHTML body content; consecutive bullets share one <ul>."""
    parts: list[str] = []
    in_list = False
    for block in blocks:
        if in_list and block.kind != "li":
            parts.append("</ul>")
            in_list = False
        escaped = html.escape(block.text)
        if block.kind == "li":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{escaped}</li>")
        else:
            tag = {"h1": "h1", "h2": "h2"}.get(block.kind, "p")
            parts.append(f"<{tag}>{escaped}</{tag}>")
    if in_list:
        parts.append("</ul>")
    return "\n".join(parts)


def write_epub(path: Path, title: str, chapters: list[tuple[str, str]]) -> None:
    """Write an EPUB 3 book with one XHTML file per (chapter title, source) pair."""
    book = epub.EpubBook()
    book.set_identifier("xlsearch-demo-" + path.stem)
    book.set_title(title)
    book.set_language("ne")
    book.add_author(AUTHOR)
    items: list[epub.EpubHtml] = []
    for number, (chapter_title, source) in enumerate(chapters, start=1):
        item = epub.EpubHtml(
            uid=f"chapter{number}", title=chapter_title, file_name=f"chapter{number}.xhtml"
        )
        item.lang = "ne"
        item.content = blocks_to_xhtml(parse_blocks(source))
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    epub.write_epub(str(path), book, {"mtime": FIXED_DATE})
    normalise_zip(path)


# --- A minimal PDF writer -------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = 612, 792  # US Letter, in points
MARGIN = 72
BODY_SIZE, BODY_LEADING, WRAP_CHARS = 11, 14, 86
BOTTOM_LIMIT = 60


def _pdf_string(text: str) -> str:
    """Escape text as a PDF literal string; only ASCII is allowed (WinAnsi subset)."""
    if not text.isascii():
        raise ValueError(f"PDF text must be ASCII: {text!r}")
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _block_lines(block: Block) -> list[tuple[str, int, int, str]]:
    """Lay out one block as (font, size, x indent, text) lines, wrapped to the page."""
    if block.kind == "h1":
        return [("F2", 15, 0, line) for line in textwrap.wrap(block.text, 60)]
    if block.kind == "h2":
        return [("F2", 12, 0, line) for line in textwrap.wrap(block.text, 76)]
    if block.kind == "li":
        lines = textwrap.wrap(block.text, WRAP_CHARS - 4, break_on_hyphens=False)
        return [("F1", BODY_SIZE, 12, ("- " if i == 0 else "  ") + t) for i, t in enumerate(lines)]
    lines = textwrap.wrap(block.text, WRAP_CHARS, break_on_hyphens=False)
    return [("F1", BODY_SIZE, 0, line) for line in lines]


def page_content(source: str, number: int, total: int) -> bytes:
    """The content stream of one page: its blocks top-down, then a footer with the page number."""
    ops: list[str] = ["BT"]
    y = PAGE_HEIGHT - MARGIN
    for block in parse_blocks(source):
        y -= 6 if block.kind in ("h1", "h2") else 2  # a little air before each block
        for font, size, indent, text in _block_lines(block):
            y -= size + 3 if font == "F2" else BODY_LEADING
            if y < BOTTOM_LIMIT:
                raise ValueError(f"page {number} overflows; move text to another page")
            ops.append(f"/{font} {size} Tf 1 0 0 1 {MARGIN + indent} {y} Tm {_pdf_string(text)} Tj")
    footer = f"Tenancy and land registration guide - page {number} of {total}"
    ops.append(f"/F1 9 Tf 1 0 0 1 {MARGIN} 40 Tm {_pdf_string(footer)} Tj")
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def pdf_bytes(pages: list[str], title: str) -> bytes:
    """Assemble a PDF 1.4 file: catalog, page tree, two fonts, info, then a page and a
    content stream per page, with a cross-reference table of exact byte offsets."""
    first_page = 5
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>"
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode("ascii"),
        font.format("Helvetica").encode("ascii"),
        font.format("Helvetica-Bold").encode("ascii"),
    ]
    for index, source in enumerate(pages):
        content = page_content(source, index + 1, len(pages))
        content_ref = first_page + 2 * index + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
            f"/Contents {content_ref} 0 R >>".encode("ascii")
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(f"<< /Title {_pdf_string(title)} /Author {_pdf_string(AUTHOR)} >>".encode())
    return _serialise_pdf(objects, info_ref=len(objects))


def write_pdf(path: Path, title: str, pages: list[str]) -> None:
    """Write a PDF with one page per source string."""
    path.write_bytes(pdf_bytes(pages, title))


def _serialise_pdf(objects: list[bytes], info_ref: int) -> bytes:
    """Number the objects from 1, and write the xref table and trailer after them."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- Legacy encodings -----------------------------------------------------------------


def write_utf16_crlf(path: Path, text: str) -> None:
    """Write little-endian UTF-16 with a byte-order mark and CRLF line ends, as Windows
    Notepad used to save Nepali text."""
    path.write_bytes(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"))


def write_latin1(path: Path, text: str) -> None:
    """Write ISO-8859-1; fails loudly if the text holds a character Latin-1 lacks."""
    path.write_bytes(text.encode("latin-1"))


# --- Entry point ----------------------------------------------------------------------


def main() -> None:
    """Write every generated file of the demo corpus and list what was written."""
    targets: dict[str, Callable[[Path], None]] = {
        "health/jeevanjal_jhadapakhala.docx": lambda p: write_docx(
            p, "झाडापखाला र जीवनजल", JEEVANJAL_NE
        ),
        "law/nagarikta_praman_patra.docx": lambda p: write_docx(
            p, "नागरिकताको प्रमाणपत्र लिन चाहिने कागजात", NAGARIKTA_NE
        ),
        "law/tenancy_and_land_registration.pdf": lambda p: write_pdf(
            p, "Tenancy and land registration in Nepal", TENANCY_PDF_PAGES
        ),
        "research/jalvayu_parivartan_pahadi_kheti.odt": lambda p: write_odt(
            p, "जलवायु परिवर्तन र पहाडी खेती", CLIMATE_ODT_NE
        ),
        "research/pahadka_mul_ra_pani.epub": lambda p: write_epub(
            p, "पहाडका मूल र पानी व्यवस्थापन", SPRINGS_EPUB_NE
        ),
        "research/ama_samuha_baithak_utf16.txt": lambda p: write_utf16_crlf(p, AMA_SAMUHA_UTF16_NE),
        "health/preeti_khop_abhiyan_suchana.txt": lambda p: write_preeti_text(
            p, KHOP_SUCHANA_PREETI_NE
        ),
        "law/preeti_janma_darta_suchana.docx": lambda p: write_preeti_docx(
            p, "जन्म दर्ता सम्बन्धी सूचना", JANMA_DARTA_PREETI_NE
        ),
        "research/soil_workshop_latin1.txt": lambda p: write_latin1(p, SOIL_WORKSHOP_LATIN1_EN),
    }
    for relative, write in targets.items():
        path = DEMO_DIR / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path)
        print(f"wrote {relative} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
