/** The period the 区县 screen counts reach over: the calendar month of `today` (`YYYY-MM-DD` days, both included). */
export function monthOf(today: Date): { from: string; to: string } {
  const year = today.getFullYear();
  const month = today.getMonth() + 1;
  const last = new Date(year, month, 0).getDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` };
}
