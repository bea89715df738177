import { WordListsPage } from '../../../word-lists/word-lists-page.tsx';

export const metadata = { title: 'Word lists · Signalbox' };

export default function WordLists() {
  return <WordListsPage />;
}
